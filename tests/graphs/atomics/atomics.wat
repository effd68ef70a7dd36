;; Atomics on a shared memory, single-threaded: read-modify-write,
;; compare-exchange, a wait that does not block (value differs), a wait
;; that times out (1 ms), a notify that wakes nobody; then an unaligned
;; atomic access traps.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1 1 shared)
  ;; print the decimal digit d and a newline
  (func $digit (param $d i32)
    (i32.store8 (i32.const 100) (i32.add (i32.const 48) (local.get $d)))
    (i32.store8 (i32.const 101) (i32.const 10))
    (i32.store (i32.const 200) (i32.const 100))
    (i32.store (i32.const 204) (i32.const 2))
    (drop (call $fd_write (i32.const 1) (i32.const 200) (i32.const 1) (i32.const 208))))
  (func (export "_start")
    (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 3)))
    (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 4)))
    (call $digit (i32.atomic.load (i32.const 0)))                      ;; 7
    (call $digit (i32.atomic.rmw.cmpxchg (i32.const 0) (i32.const 7) (i32.const 2))) ;; 7 (old)
    (call $digit (i32.atomic.load8_u (i32.const 0)))                   ;; 2
    (call $digit (memory.atomic.wait32 (i32.const 0) (i32.const 5) (i64.const -1))) ;; 1: not equal
    (call $digit (memory.atomic.wait32 (i32.const 0) (i32.const 2) (i64.const 1000000))) ;; 2: timed out
    (call $digit (memory.atomic.notify (i32.const 0) (i32.const 1)))   ;; 0 woken
    (drop (i32.atomic.load (i32.const 2)))))
