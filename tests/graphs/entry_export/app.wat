;; No _start: the manifest's entry names an export, "app.run". The other
;; export must not run.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "\20\00\00\00\0c\00\00\00\30\00\00\00\0d\00\00\00")
  (data (i32.const 32) "run was run\n")
  (data (i32.const 48) "other ran?!\n")
  (func (export "run")
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 64))))
  (func (export "other")
    (drop (call $fd_write (i32.const 1) (i32.const 8) (i32.const 1) (i32.const 64)))))
