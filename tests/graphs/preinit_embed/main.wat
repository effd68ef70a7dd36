;; Looks its preopened directory up in `_initialize`, as wasi-libc does in
;; a constructor: pre-initialised, it finds the manifest's preopen by its
;; guest path at fd 3 (nothing is opened at build time) and `_start`, at
;; run time, reads a file through that fd.
(module
  (import "wasi_snapshot_preview1" "fd_prestat_get"
    (func $prestat (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_prestat_dir_name"
    (func $dir_name (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_fdstat_get"
    (func $fdstat (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read"
    (func $read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write"
    (func $write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 500) "preopen: ")
  (data (i32.const 520) "note.txt")
  (data (i32.const 540) "fd 3 is a directory: ")
  (data (i32.const 570) "no\0a" "yes\0a")
  ;; 300: the name's length (0: none found); 200: the name; 304: filetype
  (func (export "_initialize")
    (if (i32.eqz (call $prestat (i32.const 3) (i32.const 100)))
      (then
        (i32.store (i32.const 300) (i32.load (i32.const 104)))
        (drop (call $dir_name (i32.const 3) (i32.const 200) (i32.load (i32.const 300))))))
    (drop (call $fdstat (i32.const 3) (i32.const 400)))
    (i32.store (i32.const 304) (i32.load8_u (i32.const 400))))
  (func $print (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func (export "_start")
    (call $print (i32.const 500) (i32.const 9))
    (i32.store8 (i32.add (i32.const 200) (i32.load (i32.const 300))) (i32.const 10))
    (call $print (i32.const 200) (i32.add (i32.load (i32.const 300)) (i32.const 1)))
    (call $print (i32.const 540) (i32.const 21))
    (if (i32.eq (i32.load (i32.const 304)) (i32.const 3))
      (then (call $print (i32.const 573) (i32.const 4)))
      (else (call $print (i32.const 570) (i32.const 3))))
    ;; path_open(3, 0, "note.txt", 0, FD_READ, 0, 0) -> fd at 16
    (drop (call $open (i32.const 3) (i32.const 0) (i32.const 520) (i32.const 8)
      (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 16)))
    (i32.store (i32.const 0) (i32.const 1024))
    (i32.store (i32.const 4) (i32.const 100))
    (drop (call $read (i32.load (i32.const 16)) (i32.const 0) (i32.const 1) (i32.const 8)))
    (call $print (i32.const 1024) (i32.load (i32.const 8)))))
