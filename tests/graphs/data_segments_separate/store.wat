;; store: a memory initialised by a data segment. Each instance gets its own
;; copy; show() prints this instance's message through WASI, which reads the
;; memory of the calling instance.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "\10\00\00\00\11\00\00\00")
  (data (i32.const 16) "hello from store\n")
  (func (export "poke") (param $i i32) (param $byte i32)
    (i32.store8 (i32.add (i32.const 16) (local.get $i)) (local.get $byte)))
  (func (export "show")
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
