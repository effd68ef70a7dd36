;; The program ends from a spawned thread while the main thread waits for
;; ever: main(mode) prints "spawning" and spawns a thread that
;;   0: divides by zero (a trap: status 134 and its message),
;;   1: recurses in its own code (call stack exhausted, caught by its own
;;      stack limit),
;;   2: recurses in the library instance's code (call stack exhausted,
;;      caught by the guard below its stack),
;;   3: calls proc_exit(7) (status 7),
;;   4: returns; then main returns while another thread waits for ever
;;      (status 0: the program ends with its entry);
;;   7: throws an exception it catches itself (the unwinder walks the
;;      thread's own stack), then one nothing catches (status 134);
;;   6: sleeps for an hour in poll_oneoff; once it is about to, main
;;      sleeps 50 ms and writes (a sleep holds up no other thread's WASI
;;      calls) and returns (status 0).
(module
  (import "env" "memory" (memory 1 1 shared))
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (import "wasi_snapshot_preview1" "poll_oneoff"
    (func $poll_oneoff (param i32 i32 i32 i32) (result i32)))
  (import "lib" "recurse" (func $lib_recurse (param i32) (result i32)))
  (data $text "spawning\nwritten while a thread sleeps\n")
  (tag $oops (param i32))
  (func $throw (param $x i32) (throw $oops (local.get $x)))
  (func $catch_then_throw
    (local $payload i32)
    (local.set $payload
      (block $caught (result i32)
        (try_table (catch $oops $caught) (call $throw (i32.const 41)))
        (i32.const 0)))
    ;; thrown from here (the report names this function) only if the first
    ;; exception was caught, with its payload
    (if (i32.ne (local.get $payload) (i32.const 41)) (then (unreachable)))
    (throw $oops (local.get $payload)))
  (func $boom (param $x i32) (result i32)
    (i32.div_u (i32.const 1) (local.get $x)))
  (func $recurse (param $n i32) (result i32)
    (i32.add (call $recurse (i32.add (local.get $n) (i32.const 1))) (i32.const 1)))
  (func (export "wasi_thread_start") (param $tid i32) (param $mode i32)
    (if (i32.eqz (local.get $mode)) (then (drop (call $boom (i32.const 0)))))
    (if (i32.eq (local.get $mode) (i32.const 1)) (then (drop (call $recurse (i32.const 0)))))
    (if (i32.eq (local.get $mode) (i32.const 2)) (then (drop (call $lib_recurse (i32.const 0)))))
    (if (i32.eq (local.get $mode) (i32.const 3)) (then (call $proc_exit (i32.const 7))))
    (if (i32.eq (local.get $mode) (i32.const 7)) (then (call $catch_then_throw)))
    (if (i32.eq (local.get $mode) (i32.const 5))
      (then (drop (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1)))))
    (if (i32.eq (local.get $mode) (i32.const 6))
      (then
        ;; one relative monotonic clock subscription of an hour at 256
        (i64.store (i32.const 256) (i64.const 0))
        (i64.store (i32.const 264) (i64.const 0))
        (i32.store (i32.const 272) (i32.const 1))
        (i64.store (i32.const 280) (i64.const 3600000000000))
        (i64.store (i32.const 288) (i64.const 0))
        (i64.store (i32.const 296) (i64.const 0))
        (i32.atomic.store (i32.const 128) (i32.const 1))
        (drop (memory.atomic.notify (i32.const 128) (i32.const 1)))
        (drop (call $poll_oneoff (i32.const 256) (i32.const 320) (i32.const 1) (i32.const 360))))))
  (func (export "main") (param $mode i32)
    (memory.init $text (i32.const 64) (i32.const 0) (i32.const 9))
    (i32.store (i32.const 16) (i32.const 64))
    (i32.store (i32.const 20) (i32.const 9))
    (drop (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24)))
    (if (i32.le_s (call $spawn (local.get $mode)) (i32.const 0)) (then (unreachable)))
    (if (i32.eq (local.get $mode) (i32.const 4))
      (then
        ;; another thread that never ends
        (drop (call $spawn (i32.const 5)))
        (return)))
    (if (i32.eq (local.get $mode) (i32.const 6))
      (then
        (drop (memory.atomic.wait32 (i32.const 128) (i32.const 0) (i64.const -1)))
        ;; sleep 50 ms itself, then write
        (i64.store (i32.const 384) (i64.const 0))
        (i64.store (i32.const 392) (i64.const 0))
        (i32.store (i32.const 400) (i32.const 1))
        (i64.store (i32.const 408) (i64.const 50000000))
        (i64.store (i32.const 416) (i64.const 0))
        (i64.store (i32.const 424) (i64.const 0))
        (drop (call $poll_oneoff (i32.const 384) (i32.const 448) (i32.const 1) (i32.const 488)))
        (memory.init $text (i32.const 64) (i32.const 9) (i32.const 30))
        (i32.store (i32.const 20) (i32.const 30))
        (drop (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24)))
        (return)))
    (drop (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1)))))
