;; Found by the differential test with exception handling, typed function
;; references and relaxed SIMD enabled (seed 105833 of
;; crates/wasmlink-differential/tests/differential/smith.rs, in a long run:
;; `memory.atomic.notify offset=44307` on the -1 a failed `memory.grow`
;; returned): `memory.atomic.notify` did not check bounds. Its address only
;; reached the runtime's futex wake-up, which never touches the memory, so
;; an access past the end that must trap with "out of bounds memory
;; access" returned 0 (no waiter woken) instead; unshared memories too
;; (there notify returns 0 without a runtime call). Fixed: a probe load of
;; the cell faults in the guard region first.
(module
  (memory 1 1 shared)
  (func (export "notify") (param i32) (result i32)
    (memory.atomic.notify (local.get 0) (i32.const 1)))
  (func (export "notify_offset") (param i32) (result i32)
    (memory.atomic.notify offset=65532 (local.get 0) (i32.const 1))))
(assert_return (invoke "notify" (i32.const 65532)) (i32.const 0))
(assert_return (invoke "notify_offset" (i32.const 0)) (i32.const 0))
(assert_trap (invoke "notify" (i32.const 65536)) "out of bounds memory access")
(assert_trap (invoke "notify" (i32.const -4)) "out of bounds memory access")
(assert_trap (invoke "notify_offset" (i32.const 4)) "out of bounds memory access")
(module
  (memory 1 1)
  (func (export "notify") (param i32) (result i32)
    (memory.atomic.notify (local.get 0) (i32.const 1))))
(assert_return (invoke "notify" (i32.const 65532)) (i32.const 0))
(assert_trap (invoke "notify" (i32.const 65536)) "out of bounds memory access")
