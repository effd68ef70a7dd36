;; bench/exceptions/throw.wat: the cost of one throw and catch across D
;; frames. `throw D N` runs N rounds; each round calls down D frames (the
;; last one throws, so D frames are unwound), a try_table around the first
;; call catches, and the handler adds the payload to a sum, printed at the
;; end as the checksum: N * (N - 1) / 2 + N * D (round i's payload is
;; i + D). Arguments: D >= 1, N >= 0.
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
    (i32.store (i32.const 4) (i32.const 31))
    (drop (call $fd_write (i32.const 2) (i32.const 0) (i32.const 1) (i32.const 8)))
    (call $proc_exit (i32.const 2)))
  (data (i32.const 0x80) "usage: throw.wasm DEPTH ROUNDS\n")
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
  ;; down(d, v): d frames down to the throw. Each frame passes v + 1 on, so
  ;; the payload is v + d. The addition after the call is never reached
  ;; (the call always throws) but keeps every frame live: no call is a tail
  ;; call, and all d frames are unwound.
  (func $down (param $d i32) (param $v i64) (result i64)
    (if (i32.le_u (local.get $d) (i32.const 1))
      (then (throw $e (i64.add (local.get $v) (i64.const 1)))))
    (i64.add
      (call $down (i32.sub (local.get $d) (i32.const 1)) (i64.add (local.get $v) (i64.const 1)))
      (i64.const 1000000000)))

  (func $main (export "_start")
    (local $d i32) (local $n i64) (local $i i64) (local $sum i64)
    (drop (call $args_sizes_get (i32.const 0x100) (i32.const 0x104)))
    (drop (call $args_get (i32.const 0x200) (i32.const 0x400)))
    (local.set $d (i32.wrap_i64 (call $atoi (call $arg (i32.const 1)))))
    (local.set $n (call $atoi (call $arg (i32.const 2))))
    (if (i32.eqz (local.get $d)) (then (call $usage)))
    (block $done (loop $round
      (br_if $done (i64.ge_u (local.get $i) (local.get $n)))
      (local.set $sum (i64.add (local.get $sum)
        (block $caught (result i64)
          (try_table (result i64) (catch $e $caught)
            (call $down (local.get $d) (local.get $i))))))
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (br $round)))
    (call $print_u64 (local.get $sum))))
