;; bench/threads: a threaded counter. main(threads, total, private)
;; spawns `threads` wasi-threads that together add 1 `total` times with
;; i32.atomic.rmw.add: all to one shared counter (private = 0: every add
;; contends for the same cache line) or each to a counter on its own
;; cache line (private = 1: no contention). It waits for them with
;; memory.atomic.wait32 and prints the sum of the counters. The same
;; program in C with pthreads is counter.c.
;;
;; Shared memory: 0 threads done, 4 work per thread, 8 private flag,
;; 16 iovec, 24 nwritten, 32..64 digits, 64 + 64 * k counter k.
(module
  (import "env" "memory" (memory 1 1 shared))
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))

  (func (export "wasi_thread_start") (param $tid i32) (param $k i32)
    (local $i i32) (local $n i32) (local $at i32)
    (local.set $n (i32.load (i32.const 4)))
    (local.set $at
      (select (i32.add (i32.const 64) (i32.shl (local.get $k) (i32.const 6)))
              (i32.const 64)
              (i32.load (i32.const 8))))
    (block $end
      (br_if $end (i32.eqz (local.get $n)))
      (loop $add
        (drop (i32.atomic.rmw.add (local.get $at) (i32.const 1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $add (i32.lt_u (local.get $i) (local.get $n)))))
    (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
    (drop (memory.atomic.notify (i32.const 0) (i32.const 1))))

  (func (export "main") (param $threads i32) (param $total i32) (param $private i32)
    (local $k i32) (local $done i32) (local $sum i32) (local $p i32)
    (if (i32.or (i32.lt_s (local.get $threads) (i32.const 1))
                (i32.gt_s (local.get $threads) (i32.const 64)))
      (then (unreachable)))
    (i32.store (i32.const 4) (i32.div_u (local.get $total) (local.get $threads)))
    (i32.store (i32.const 8) (local.get $private))
    (loop $spawn_all
      (if (i32.lt_s (call $spawn (local.get $k)) (i32.const 0)) (then (unreachable)))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $spawn_all (i32.lt_u (local.get $k) (local.get $threads))))
    (block $all_done
      (loop $wait
        (local.set $done (i32.atomic.load (i32.const 0)))
        (br_if $all_done (i32.ge_u (local.get $done) (local.get $threads)))
        (drop (memory.atomic.wait32 (i32.const 0) (local.get $done) (i64.const -1)))
        (br $wait)))
    (local.set $k (i32.const 0))
    (loop $sum_all
      (local.set $sum (i32.add (local.get $sum)
        (i32.atomic.load (i32.add (i32.const 64) (i32.shl (local.get $k) (i32.const 6))))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $sum_all (i32.lt_u (local.get $k) (local.get $threads))))
    ;; print the sum and a newline
    (local.set $p (i32.const 63))
    (i32.store8 (local.get $p) (i32.const 10))
    (loop $digits
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p)
        (i32.add (i32.const 48) (i32.rem_u (local.get $sum) (i32.const 10))))
      (local.set $sum (i32.div_u (local.get $sum) (i32.const 10)))
      (br_if $digits (local.get $sum)))
    (i32.store (i32.const 16) (local.get $p))
    (i32.store (i32.const 20) (i32.sub (i32.const 64) (local.get $p)))
    (drop (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24)))))
