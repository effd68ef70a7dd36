;; A 4-byte load at 65534 in a 1-page memory: its last two bytes are out of
;; bounds. The last in-bounds load (65532) works first.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "\10\00\00\00\06\00\00\00")
  (data (i32.const 16) "start\n")
  (func $load (param $addr i32) (result i32)
    (i32.load (local.get $addr)))
  (func $main (export "_start")
    (drop (call $load (i32.const 65532)))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (drop (call $load (i32.const 65534)))))
