;; Pointers derived from a counted loop's index
;; (tests/disas/memory-induction-derived.wat): `w + i + k`, with `i`
;; counted from a constant to a constant and `w` accessed before the loop,
;; becomes a 64-bit pointer. Each loop below is one where a wrong proof
;; would read elsewhere or trap where Wasm does not (or not trap where it
;; does).
(module
  (memory 1)
  (data (i32.const 0) "\01\00\00\00\02\00\00\00\03\00\00\00\04\00\00\00")
  (data (i32.const 16) "\05\00\00\00\06\00\00\00\07\00\00\00\08\00\00\00")

  ;; Sum of w[i + 1] for i = 0, 4, ..., 12 (four words from w + 4), after
  ;; reading w[0]: the shape of SHA-256's message schedule.
  (func (export "after_access") (param $w i32) (result i32)
    (local $i i32) (local $s i32)
    (local.set $s (i32.load (local.get $w)))
    (loop $l
      (local.set $s (i32.add (local.get $s)
        (i32.load (i32.add (i32.add (local.get $w) (local.get $i)) (i32.const 4)))))
      (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 4))) (i32.const 16))))
    (local.get $s))

  ;; The same without the access before the loop: from w = -8 the
  ;; addresses wrap around to 0 and 4 (valid: Wasm adds modulo 2^32).
  (func (export "no_access") (param $w i32) (result i32)
    (local $i i32) (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s)
        (i32.load (i32.add (i32.add (local.get $w) (local.get $i)) (i32.const 8)))))
      (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 4))) (i32.const 8))))
    (local.get $s))

  ;; Stores, the test on the index itself (`i != 12`, then `i += 4`): fill
  ;; w[1..4] with i, then read the last one.
  (func (export "fill") (param $w i32) (result i32)
    (local $i i32)
    (drop (i32.load (local.get $w)))
    (block $done
      (loop $l
        (i32.store (i32.add (i32.add (local.get $w) (local.get $i)) (i32.const 4)) (local.get $i))
        (br_if $done (i32.eq (local.get $i) (i32.const 12)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $l)))
    (i32.load offset=16 (local.get $w)))

  ;; Tested at the top (`while (i != 16)`), as SHA-256's rounds are: the
  ;; index itself is counted, so `i + 8` (a table read at a constant
  ;; distance) cannot wrap either; `w + i` beside it.
  (func (export "top_tested") (param $w i32) (result i32)
    (local $i i32) (local $s i32)
    (drop (i32.load (local.get $w)))
    (block $done
      (loop $l
        (local.set $s (i32.add (local.get $s) (i32.load (i32.add (local.get $i) (i32.const 8)))))
        (br_if $done (i32.eq (local.get $i) (i32.const 16)))
        (local.set $s (i32.add (local.get $s)
          (i32.load (i32.add (local.get $w) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $l)))
    (local.get $s)))

(assert_return (invoke "after_access" (i32.const 0)) (i32.const 15))
(assert_return (invoke "after_access" (i32.const 8)) (i32.const 25))
;; w + 4 .. w + 16 run past the end: the fourth word traps.
(assert_trap (invoke "after_access" (i32.const 65520)) "out of bounds memory access")
;; Words at 8, 12, 16, 20, 24 (5+...+7 with 3 and 4: 3+4+5+6+7 = 25)
;; and at w + 0 .. w + 12 (w = 0: 1+2+3+4 = 10).
(assert_return (invoke "top_tested" (i32.const 0)) (i32.const 35))
(assert_trap (invoke "top_tested" (i32.const 65532)) "out of bounds memory access")
;; From w = -8: the loop reads 0 and 4.
(assert_return (invoke "no_access" (i32.const -8)) (i32.const 3))
(assert_return (invoke "no_access" (i32.const 0)) (i32.const 7))
(assert_return (invoke "fill" (i32.const 32)) (i32.const 12))
(assert_trap (invoke "fill" (i32.const 65528)) "out of bounds memory access")
