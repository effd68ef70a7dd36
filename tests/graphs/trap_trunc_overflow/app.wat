;; i32.trunc_f64_u of 2^32 (out of range, not NaN) is "integer overflow";
;; the saturating form of the same value is fine.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "\10\00\00\00\06\00\00\00")
  (data (i32.const 16) "start\n")
  (global $big (mut f64) (f64.const 4294967296))
  (func $to_u32 (param $x f64) (result i32)
    (i32.trunc_f64_u (local.get $x)))
  (func $main (export "_start")
    (if (i32.ne (i32.trunc_sat_f64_u (global.get $big)) (i32.const -1)) (then unreachable))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (drop (call $to_u32 (global.get $big)))))
