;; Side module of fixed-state.wat: exports a memory and a mutable global.
(module
  (memory (export "memory") 1)
  (global (export "total") (mut i32) (i32.const 0)))
