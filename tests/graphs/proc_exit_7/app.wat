;; proc_exit(7): the process exits with status 7 right away; nothing after
;; the call runs.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "\20\00\00\00\0f\00\00\00\40\00\00\00\0e\00\00\00")
  (data (i32.const 32) "exiting with 7\n")
  (data (i32.const 64) "still running\n")
  (func $main (export "_start")
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 16)))
    (call $proc_exit (i32.const 7))
    (drop (call $fd_write (i32.const 1) (i32.const 8) (i32.const 1) (i32.const 16)))
    unreachable))
