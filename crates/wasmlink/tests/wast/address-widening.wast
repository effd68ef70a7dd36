;; Scaled 32-bit addresses (tests/disas/memory-scaled-index.wat): a shift
;; that may wrap must wrap as Wasm says, one that cannot is widened, and
;; constants stored narrow are truncated. Indices are chosen so a wrong
;; widening would read another address or trap where Wasm does not.
(module
  (memory 1)
  (data (i32.const 0) "\01\00\00\00\02\00\00\00\03\00\00\00\04\00\00\00")
  (data (i32.const 64) "\2a\00\00\00\00\00\00\00")
  ;; bounded: (x & 3) << 2 never wraps
  (func (export "masked") (param i32) (result i32)
    (i32.load (i32.shl (i32.and (local.get 0) (i32.const 3)) (i32.const 2))))
  ;; may wrap: (x & 0x7fffffff) << 2 of 0x40000001 is 4, not 0x100000004
  (func (export "masked_wide") (param i32) (result i32)
    (i32.load (i32.shl (i32.and (local.get 0) (i32.const 0x7fffffff)) (i32.const 2))))
  ;; no bound at all
  (func (export "unbounded") (param i32) (result i32)
    (i32.load (i32.shl (local.get 0) (i32.const 2))))
  ;; a shift amount taken mod 32: << 34 is << 2
  (func (export "shift_mod") (param i32) (result i32)
    (i32.load (i32.shl (i32.and (local.get 0) (i32.const 3)) (i32.const 34))))
  ;; a byte index scaled by 8 with an offset: (b << 3) + 64 <= 2104
  (func (export "byte_index") (param i32) (result i64)
    (i64.load offset=64 (i32.shl (i32.load8_u (local.get 0)) (i32.const 3))))
  ;; bounded but out of the 1-page memory: traps like the unwidened access
  (func (export "masked_oob") (param i32) (result i32)
    (i32.load (i32.shl (i32.and (local.get 0) (i32.const 0x3fffffff)) (i32.const 2))))
  (func (export "store_const8") (param i32) (result i32)
    (i32.store8 (local.get 0) (i32.const 0x1ff))
    (i32.load (local.get 0)))
  (func (export "store_const16") (param i32) (result i32)
    (i32.store16 (local.get 0) (i32.const -2))
    (i32.load (local.get 0)))
  (func (export "store_const32") (param i32) (result i64)
    (i64.store32 (local.get 0) (i64.const 0x1_0000_0007))
    (i64.load (local.get 0))))
(assert_return (invoke "masked" (i32.const 0)) (i32.const 1))
(assert_return (invoke "masked" (i32.const 7)) (i32.const 4))
(assert_return (invoke "masked" (i32.const -1)) (i32.const 4))
(assert_return (invoke "masked_wide" (i32.const 0x40000001)) (i32.const 2))
(assert_return (invoke "masked_wide" (i32.const 0xc0000002)) (i32.const 3))
(assert_trap (invoke "masked_wide" (i32.const 0x20000000)) "out of bounds memory access")
(assert_return (invoke "unbounded" (i32.const 0x40000003)) (i32.const 4))
(assert_trap (invoke "unbounded" (i32.const 0x3fffffff)) "out of bounds memory access")
(assert_return (invoke "shift_mod" (i32.const 1)) (i32.const 2))
(assert_return (invoke "byte_index" (i32.const 20)) (i64.const 42))
(assert_return (invoke "byte_index" (i32.const 0)) (i64.const 0))
(assert_return (invoke "masked_oob" (i32.const 0x3fff)) (i32.const 0))
(assert_trap (invoke "masked_oob" (i32.const 0x4000)) "out of bounds memory access")
(assert_trap (invoke "masked_oob" (i32.const -1)) "out of bounds memory access")
(assert_return (invoke "store_const8" (i32.const 100)) (i32.const 0xff))
(assert_return (invoke "store_const16" (i32.const 200)) (i32.const 0xfffe))
(assert_return (invoke "store_const32" (i32.const 300)) (i64.const 7))
