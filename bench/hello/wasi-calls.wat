;; run(n): n rounds of WASI calls, the runtime's share of a program's time:
;; clock_time_get (the vDSO, no system call), args_sizes_get and
;; environ_sizes_get (no system call), fd_fdstat_get of stdout (isatty and
;; fstat) and fd_write of one byte to stdout. Returns the sum of the errnos
;; (0).
(module
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock (param i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $env (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_fdstat_get" (func $fdstat (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "x")
  (func (export "run") (param $n i32) (result i32)
    (local $i i32) (local $sum i32)
    (i32.store (i32.const 0) (i32.const 64))
    (i32.store (i32.const 4) (i32.const 1))
    (block $done
      (br_if $done (i32.eqz (local.get $n)))
      (loop $l
        (local.set $sum (i32.add (local.get $sum) (call $clock (i32.const 1) (i64.const 1) (i32.const 16))))
        (local.set $sum (i32.add (local.get $sum) (call $args (i32.const 24) (i32.const 28))))
        (local.set $sum (i32.add (local.get $sum) (call $env (i32.const 24) (i32.const 28))))
        (local.set $sum (i32.add (local.get $sum) (call $fdstat (i32.const 1) (i32.const 32))))
        (local.set $sum (i32.add (local.get $sum) (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (local.get $n)))))
    (local.get $sum)))
