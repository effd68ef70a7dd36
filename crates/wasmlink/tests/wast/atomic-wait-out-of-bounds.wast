;; Found while minimising atomic-notify-out-of-bounds.wast:
;; `memory.atomic.wait32`/`wait64` did not check bounds either. The address
;; went to the runtime, which reads the cell to compare it with the
;; expected value; past the end of the memory that read faulted inside the
;; runtime, not at a trap site of generated code, so the program died of
;; SIGSEGV ("wasmlink runtime: fatal signal 11") instead of trapping with
;; "out of bounds memory access". Fixed with the same probe load. (The
;; cells here hold 0 and the expected value is 1, so the in-bounds waits
;; return 1, "not-equal", at once.)
(module
  (memory 1 1 shared)
  (func (export "wait32") (param i32) (result i32)
    (memory.atomic.wait32 (local.get 0) (i32.const 1) (i64.const 0)))
  (func (export "wait64") (param i32) (result i32)
    (memory.atomic.wait64 (local.get 0) (i64.const 1) (i64.const 0))))
(assert_return (invoke "wait32" (i32.const 65532)) (i32.const 1))
(assert_return (invoke "wait64" (i32.const 65528)) (i32.const 1))
(assert_trap (invoke "wait32" (i32.const 65536)) "out of bounds memory access")
(assert_trap (invoke "wait64" (i32.const 65536)) "out of bounds memory access")
(assert_trap (invoke "wait32" (i32.const -4)) "out of bounds memory access")
