;; The thread limit: built with --max-threads 2, two threads wait to be
;; released, so a third thread-spawn returns a negative number, which the
;; program handles. Once the two have ended a spawn succeeds again: a
;; new id (3), an old slot.
;;
;; Shared memory: 4 threads done, 12 release flag, 16 iovec, 24
;; nwritten, 32..64 digits, 64.. labels.
(module
  (import "env" "memory" (memory 1 1 shared))
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (data $labels "first second third-failed after-release done\n")

  ;; print label bytes [off, off+len) of $labels, then " n\n"
  (func $print (param $off i32) (param $len i32) (param $n i32)
    (local $p i32)
    (memory.init $labels (i32.const 64) (local.get $off) (local.get $len))
    (i32.store (i32.const 16) (i32.const 64))
    (i32.store (i32.const 20) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24)))
    (local.set $p (i32.const 63))
    (i32.store8 (local.get $p) (i32.const 10))
    (loop $digits
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p)
        (i32.add (i32.const 48) (i32.rem_u (local.get $n) (i32.const 10))))
      (local.set $n (i32.div_u (local.get $n) (i32.const 10)))
      (br_if $digits (local.get $n)))
    (local.set $p (i32.sub (local.get $p) (i32.const 1)))
    (i32.store8 (local.get $p) (i32.const 32))
    (i32.store (i32.const 16) (local.get $p))
    (i32.store (i32.const 20) (i32.sub (i32.const 64) (local.get $p)))
    (drop (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24))))

  ;; wait until the i32 at $addr is at least $n
  (func $wait_for (param $addr i32) (param $n i32)
    (local $v i32)
    (block $done
      (loop $wait
        (local.set $v (i32.atomic.load (local.get $addr)))
        (br_if $done (i32.ge_u (local.get $v) (local.get $n)))
        (drop (memory.atomic.wait32 (local.get $addr) (local.get $v) (i64.const -1)))
        (br $wait))))

  (func (export "wasi_thread_start") (param $tid i32) (param $arg i32)
    (call $wait_for (i32.const 12) (i32.const 1))
    (drop (i32.atomic.rmw.add (i32.const 4) (i32.const 1)))
    (drop (memory.atomic.notify (i32.const 4) (i32.const 1))))

  (func (export "_start")
    (local $third i32)
    (call $print (i32.const 0) (i32.const 5) (call $spawn (i32.const 0)))
    (call $print (i32.const 6) (i32.const 6) (call $spawn (i32.const 0)))
    (local.set $third (call $spawn (i32.const 0)))
    (call $print (i32.const 13) (i32.const 12) (i32.lt_s (local.get $third) (i32.const 0)))
    (if (i32.ge_s (local.get $third) (i32.const 0)) (then (unreachable)))
    ;; release the two, wait until they are done, spawn again
    (i32.atomic.store (i32.const 12) (i32.const 1))
    (drop (memory.atomic.notify (i32.const 12) (i32.const -1)))
    (call $wait_for (i32.const 4) (i32.const 2))
    (call $print (i32.const 26) (i32.const 13) (call $spawn (i32.const 0)))
    (call $wait_for (i32.const 4) (i32.const 3))
    (call $print (i32.const 40) (i32.const 4) (i32.atomic.load (i32.const 4)))))
