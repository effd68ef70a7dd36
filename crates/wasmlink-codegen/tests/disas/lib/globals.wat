;; Side module of global-immutable-hoisted.wat: exports an immutable global.
(module
  (global (export "bias") i32 (i32.const 7)))
