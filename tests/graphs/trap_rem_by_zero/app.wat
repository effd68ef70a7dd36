;; i64.rem_s by zero is also "integer divide by zero" (INT_MIN rem -1 is not:
;; it is 0, checked first).
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "\10\00\00\00\06\00\00\00")
  (data (i32.const 16) "start\n")
  (global $zero (mut i64) (i64.const 0))
  (global $minus_one (mut i64) (i64.const -1))
  (func $rem (param $a i64) (param $b i64) (result i64)
    (i64.rem_s (local.get $a) (local.get $b)))
  (func $main (export "_start")
    (if (i64.ne (call $rem (i64.const 0x8000000000000000) (global.get $minus_one)) (i64.const 0))
      (then unreachable))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (drop (call $rem (i64.const 5) (global.get $zero)))))
