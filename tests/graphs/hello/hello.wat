;; Hello on stdout, a note on stderr; status 0.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  ;; iovecs at 0 (stdout) and 8 (stderr); nwritten at 16
  (data (i32.const 0) "\20\00\00\00\0e\00\00\00\30\00\00\00\0d\00\00\00")
  (data (i32.const 32) "Hello, world!\n")
  (data (i32.const 48) "to stderr...\n")
  (func $main (export "_start")
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 16)))
    (drop (call $fd_write (i32.const 2) (i32.const 8) (i32.const 1) (i32.const 16)))))
