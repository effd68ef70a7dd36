;; Found by the differential test (tests/differential.rs, seed 269): a
;; function with 9 or more results does not compile ("Cranelift could not
;; compile it: Unsupported(\"Too many return values to fit in registers. Use
;; a StructReturn argument instead. (#9510)\")"). 8 results work; the
;; limit is the same for i64 and f64 results, and it does not matter whether
;; the function is exported or only called. Wasm 2.0 (multi-value) allows
;; any number of results.

(module
  (func $nine (export "nine") (result i64 i64 i64 i64 i64 i64 i64 i64 i64)
    i64.const 1 i64.const 2 i64.const 3 i64.const 4 i64.const 5
    i64.const 6 i64.const 7 i64.const 8 i64.const 9)
  (func (export "first") (result i64)
    call $nine
    drop drop drop drop drop drop drop drop))

(assert_return (invoke "first") (i64.const 1))
(assert_return (invoke "nine")
  (i64.const 1) (i64.const 2) (i64.const 3) (i64.const 4) (i64.const 5)
  (i64.const 6) (i64.const 7) (i64.const 8) (i64.const 9))

(module
  (func (export "f64s") (result f64 f64 f64 f64 f64 f64 f64 f64 f64 f64)
    f64.const 1 f64.const 2 f64.const 3 f64.const 4 f64.const 5
    f64.const 6 f64.const 7 f64.const 8 f64.const 9 f64.const 10))

(assert_return (invoke "f64s")
  (f64.const 1) (f64.const 2) (f64.const 3) (f64.const 4) (f64.const 5)
  (f64.const 6) (f64.const 7) (f64.const 8) (f64.const 9) (f64.const 10))
