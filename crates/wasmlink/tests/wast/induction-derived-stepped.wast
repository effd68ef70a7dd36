;; Pointers derived from an index that steps to a run-time limit
;; (tests/disas/memory-induction-derived-stepped.wat): `w + i`, accessed
;; on every iteration, becomes a 64-bit pointer stepping with `i`, for a
;; 32-bit index and for a 64-bit one narrowed by `i32.wrap_i64`. Each
;; loop below is one where a wrong rewrite would read elsewhere, or trap
;; where Wasm does not, or not trap where it does.
(module
  (memory 1)
  (data (i32.const 0) "\00\01\00\00\01\00\01\01")
  (data (i32.const 16) "\01\00\00\00\02\00\00\00\03\00\00\00\04\00\00\00")

  ;; Sum of the i with w[i] == 0 for i in [i0, n): the sieve's outer
  ;; loop, with a 64-bit counter.
  (func (export "zeros") (param $w i32) (param $i0 i64) (param $n i64) (result i64)
    (local $i i64) (local $c i64)
    (local.set $i (local.get $i0))
    (loop $l
      (if (i32.eqz (i32.load8_u (i32.add (local.get $w) (i32.wrap_i64 (local.get $i)))))
        (then (local.set $c (i64.add (local.get $c) (local.get $i)))))
      (br_if $l (i64.lt_s (local.tee $i (i64.add (local.get $i) (i64.const 1))) (local.get $n))))
    (local.get $c))

  ;; Sum of the words at w + i for i = 0, 4, ... while i < n.
  (func (export "words") (param $w i32) (param $n i32) (result i32)
    (local $i i32) (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s) (i32.load (i32.add (local.get $w) (local.get $i)))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 4))) (local.get $n))))
    (local.get $s))

  ;; Writes i + 1 to the byte at 32 + (i % 256) on each iteration before
  ;; reading w + i: after a trap, the bytes written say how far it got.
  (func (export "mark_then_read") (param $w i32) (param $n i32) (result i32)
    (local $i i32) (local $s i32)
    (loop $l
      (i32.store8 offset=32 (i32.and (local.get $i) (i32.const 255))
        (i32.add (local.get $i) (i32.const 1)))
      (local.set $s (i32.add (local.get $s) (i32.load8_u (i32.add (local.get $w) (local.get $i)))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $s))
  (func (export "byte") (param $a i32) (result i32) (i32.load8_u (local.get $a))))

;; Zeros at 0, 2, 3, 5 of the first eight bytes.
(assert_return (invoke "zeros" (i32.const 0) (i64.const 0) (i64.const 8)) (i64.const 10))
(assert_return (invoke "zeros" (i32.const 2) (i64.const 0) (i64.const 4)) (i64.const 4))
;; w + i wraps: w = -4 with i from 4 reads bytes 0, 1, 2, 3 (zeros at i = 4, 6, 7).
(assert_return (invoke "zeros" (i32.const -4) (i64.const 4) (i64.const 8)) (i64.const 17))
;; A 64-bit counter whose low half wraps: i from 2^32 - 2 reads w - 2, w - 1, w, ...
(assert_return (invoke "zeros" (i32.const 2) (i64.const 0xffff_fffe) (i64.const 0x1_0000_0002))
  (i64.const 0x2_ffff_ffff))
;; One iteration even when i0 >= n (the test is at the bottom).
(assert_return (invoke "zeros" (i32.const 0) (i64.const 0) (i64.const 0)) (i64.const 0))
;; Runs off the end of memory: traps at the first out-of-bounds byte.
(assert_trap (invoke "zeros" (i32.const 65530) (i64.const 0) (i64.const 10)) "out of bounds memory access")

(assert_return (invoke "words" (i32.const 16) (i32.const 16)) (i32.const 10))
(assert_return (invoke "words" (i32.const 16) (i32.const 1)) (i32.const 1))
;; The first access is at w itself: w = -16 traps at once.
(assert_trap (invoke "words" (i32.const -16) (i32.const 48)) "out of bounds memory access")
(assert_trap (invoke "words" (i32.const 65528) (i32.const 16)) "out of bounds memory access")

;; Reads w + i for i < 3 from w = 65534: bytes 65534 and 65535 exist, the
;; third read traps after the third mark was written.
(assert_trap (invoke "mark_then_read" (i32.const 65534) (i32.const 3)) "out of bounds memory access")
(assert_return (invoke "byte" (i32.const 32)) (i32.const 1))
(assert_return (invoke "byte" (i32.const 33)) (i32.const 2))
(assert_return (invoke "byte" (i32.const 34)) (i32.const 3))
(assert_return (invoke "byte" (i32.const 35)) (i32.const 0))
