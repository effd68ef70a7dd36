;; bench/exceptions/calls.wat: what an enclosing try_table costs when
;; nothing is thrown. `calls MODE N` calls a small function N times and
;; prints the sum of its results (the checksum, the same in every mode):
;;   plain  no try_table at all
;;   loop   the whole loop inside one try_table
;;   each   every call inside its own try_table (entered N times)
;; The callee can throw (when its argument is -1, which never happens), as
;; a real callee could, so the handlers are live. With zero-cost exception
;; handling the three modes take the same time.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)

  (tag $e (param i64))

  ;; ---- arguments and output ---------------------------------------------
  ;; 0..8 iovec, 8..12 nwritten, 16..48 digits, 0x100 argc, 0x104 size,
  ;; 0x200.. argv pointers, 0x400.. argument strings (up to 60 KiB)
  (func $arg (param $i i32) (result i32)
    (if (i32.le_u (i32.load (i32.const 0x100)) (local.get $i))
      (then (call $usage)))
    (i32.load (i32.add (i32.const 0x200) (i32.shl (local.get $i) (i32.const 2)))))
  (func $usage
    (i32.store (i32.const 0) (i32.const 0x80))
    (i32.store (i32.const 4) (i32.const 36))
    (drop (call $fd_write (i32.const 2) (i32.const 0) (i32.const 1) (i32.const 8)))
    (call $proc_exit (i32.const 2)))
  (data (i32.const 0x80) "usage: calls.wasm plain|loop|each N\n")
  ;; unsigned decimal at s
  (func $atoi (param $s i32) (result i64) (local $v i64) (local $c i32)
    (block $end (loop $next
      (local.set $c (i32.load8_u (local.get $s)))
      (br_if $end (i32.eqz (local.get $c)))
      (if (i32.gt_u (i32.sub (local.get $c) (i32.const 48)) (i32.const 9)) (then (call $usage)))
      (local.set $v (i64.add (i64.mul (local.get $v) (i64.const 10))
                             (i64.extend_i32_u (i32.sub (local.get $c) (i32.const 48)))))
      (local.set $s (i32.add (local.get $s) (i32.const 1)))
      (br $next)))
    (local.get $v))
  ;; v in decimal and a newline
  (func $print_u64 (param $v i64) (local $p i32)
    (local.set $p (i32.const 47))
    (i32.store8 (local.get $p) (i32.const 10))
    (loop $digit
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i64.store8 (local.get $p) (i64.add (i64.const 48) (i64.rem_u (local.get $v) (i64.const 10))))
      (local.set $v (i64.div_u (local.get $v) (i64.const 10)))
      (br_if $digit (i64.ne (local.get $v) (i64.const 0))))
    (i32.store (i32.const 0) (local.get $p))
    (i32.store (i32.const 4) (i32.sub (i32.const 48) (local.get $p)))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))

  ;; ---- the benchmark --------------------------------------------------
  ;; the callee: a few operations, and a throw that never happens
  (func $step (param $i i64) (result i64)
    (if (i64.eq (local.get $i) (i64.const -1))
      (then (throw $e (local.get $i))))
    (i64.xor (i64.mul (local.get $i) (i64.const 0x9e3779b97f4a7c15))
             (i64.shr_u (local.get $i) (i64.const 7))))

  (func $plain (param $n i64) (result i64) (local $i i64) (local $sum i64)
    (block $done (loop $next
      (br_if $done (i64.ge_u (local.get $i) (local.get $n)))
      (local.set $sum (i64.add (local.get $sum) (call $step (local.get $i))))
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (br $next)))
    (local.get $sum))

  (func $loop_in_try (param $n i64) (result i64) (local $i i64) (local $sum i64)
    (block $caught (result i64)
      (try_table (catch $e $caught)
        (block $done (loop $next
          (br_if $done (i64.ge_u (local.get $i) (local.get $n)))
          (local.set $sum (i64.add (local.get $sum) (call $step (local.get $i))))
          (local.set $i (i64.add (local.get $i) (i64.const 1)))
          (br $next))))
      (return (local.get $sum)))
    (drop)
    (i64.const -1))

  (func $try_each (param $n i64) (result i64) (local $i i64) (local $sum i64)
    (block $done (loop $next
      (br_if $done (i64.ge_u (local.get $i) (local.get $n)))
      (local.set $sum (i64.add (local.get $sum)
        (block $caught (result i64)
          (try_table (result i64) (catch $e $caught)
            (call $step (local.get $i))))))
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (br $next)))
    (local.get $sum))

  (func $main (export "_start")
    (local $mode i32) (local $n i64)
    (drop (call $args_sizes_get (i32.const 0x100) (i32.const 0x104)))
    (drop (call $args_get (i32.const 0x200) (i32.const 0x400)))
    (local.set $mode (i32.load8_u (call $arg (i32.const 1))))
    (local.set $n (call $atoi (call $arg (i32.const 2))))
    (call $print_u64
      (if (result i64) (i32.eq (local.get $mode) (i32.const 112 (; p ;)))
        (then (call $plain (local.get $n)))
        (else (if (result i64) (i32.eq (local.get $mode) (i32.const 108 (; l ;)))
          (then (call $loop_in_try (local.get $n)))
          (else (if (result i64) (i32.eq (local.get $mode) (i32.const 101 (; e ;)))
            (then (call $try_each (local.get $n)))
            (else (call $usage) (unreachable))))))))))
