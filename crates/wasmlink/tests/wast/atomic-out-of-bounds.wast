;; Found by the differential test with threads enabled: an atomic access
;; outside the memory faulted in the guard region without being a trap
;; site, so the program died of SIGSEGV instead of trapping.
(module
  (memory 1 1 shared)
  (func (export "load") (param i32) (result i32) (i32.atomic.load (local.get 0)))
  (func (export "store") (param i32) (i64.atomic.store (local.get 0) (i64.const 1)))
  (func (export "add") (param i32) (result i32) (i32.atomic.rmw.add (local.get 0) (i32.const 1)))
  (func (export "cmpxchg") (param i32) (result i64)
    (i64.atomic.rmw.cmpxchg (local.get 0) (i64.const 0) (i64.const 1)))
  (func (export "xchg8") (param i32) (result i32) (i32.atomic.rmw8.xchg_u (local.get 0) (i32.const 1))))
(assert_return (invoke "load" (i32.const 65532)) (i32.const 0))
(assert_trap (invoke "load" (i32.const 65536)) "out of bounds memory access")
(assert_trap (invoke "store" (i32.const 0x10000)) "out of bounds memory access")
(assert_trap (invoke "add" (i32.const 0x7fff_fff0)) "out of bounds memory access")
(assert_trap (invoke "cmpxchg" (i32.const 0x10008)) "out of bounds memory access")
(assert_trap (invoke "xchg8" (i32.const -1)) "out of bounds memory access")
(assert_return (invoke "xchg8" (i32.const 65535)) (i32.const 0))
