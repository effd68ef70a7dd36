;; i32.trunc_f32_s of NaN: invalid conversion to integer.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "\10\00\00\00\06\00\00\00")
  (data (i32.const 16) "start\n")
  (global $nan (mut f32) (f32.const nan))
  (func $to_int (param $x f32) (result i32)
    (i32.trunc_f32_s (local.get $x)))
  (func $main (export "_start")
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (drop (call $to_int (global.get $nan)))))
