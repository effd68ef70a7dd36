;; Hello world with WASI preview 1, no libc: write one iovec to stdout (fd 1).
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))

  ;; WASI calls read and write the memory the module exports as "memory".
  (memory (export "memory") 1)

  ;; The iovec { buf = 16, len = 14 } at address 0, the text at 16.
  (data (i32.const 0) "\10\00\00\00\0e\00\00\00")
  (data (i32.const 16) "Hello, world!\n")

  (func $main (export "_start")
    ;; fd_write(fd = 1, iovs = 0, iovs_len = 1, nwritten = 8)
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
