;; A store whose effective address is past 4 GiB (address 0xFFFFFFF0 plus a
;; static offset of 0xFFFFFFF0): must trap, never touch anything else.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1 2)
  (data (i32.const 0) "\10\00\00\00\06\00\00\00")
  (data (i32.const 16) "start\n")
  (func $store_far (param $addr i32)
    (i64.store offset=0xFFFFFFF0 (local.get $addr) (i64.const -1)))
  (func $main (export "_start")
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (call $store_far (i32.const 0xFFFFFFF0))))
