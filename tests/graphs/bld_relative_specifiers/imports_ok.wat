;; Inside the tree, by two spellings of one path: one instance.
(module
  (import "./lib/ok.wat" "f" (func $f))
  (import "./lib/../lib/ok.wat" "f" (func $g))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "\10\00\00\00\03\00\00\00")
  (data (i32.const 16) "ok\n")
  (func (export "_start")
    (call $f)
    (call $g)
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
