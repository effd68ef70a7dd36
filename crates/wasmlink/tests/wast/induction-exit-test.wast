;; A loop's exit test moved from its counter to its widened pointer
;; (tests/disas/memory-induction-exit-test.wat): `j += s; if (j != n)`
;; beside `p += r*s` becomes `p != p0 + r*(n - j0)`. Each loop below is
;; one where a wrong end, a wrong wrap or a lost counter value would give
;; another result or another trap.
(module
  (memory 1)
  (data (i32.const 0) "\01\00\00\00\02\00\00\00\03\00\00\00\04\00\00\00")
  (data (i32.const 16) "\05\00\00\00\06\00\00\00\07\00\00\00\08\00\00\00")

  ;; Sum n words from p (do-while: n = 0 runs until the pointer leaves
  ;; memory, as the counter would need 2^32 steps to come back to 0).
  (func (export "sum") (param $p i32) (param $n i32) (result i32)
    (local $j i32) (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s) (i32.load (local.get $p))))
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (br_if $l (i32.ne (local.tee $j (i32.add (local.get $j) (i32.const 1))) (local.get $n))))
    (local.get $s))

  ;; The counter from j0 (which may lie above the limit: it then wraps),
  ;; stepping 2 while the pointer steps 8; the counter's last value is
  ;; returned with the sum (s * 1000 + j).
  (func (export "pairs") (param $p i32) (param $j0 i32) (param $n i32) (result i32)
    (local $j i32) (local $s i32)
    (local.set $j (local.get $j0))
    (loop $l
      (local.set $s (i32.add (local.get $s)
        (i32.add (i32.load (local.get $p)) (i32.load offset=4 (local.get $p)))))
      (local.set $p (i32.add (local.get $p) (i32.const 8)))
      (br_if $l (i32.ne (local.tee $j (i32.add (local.get $j) (i32.const 2))) (local.get $n))))
    (i32.add (i32.mul (local.get $s) (i32.const 1000)) (local.get $j)))

  ;; The test the other way round: leave when the counter equals the
  ;; limit (`br_if` out of a block), a constant limit.
  (func (export "until_eq") (param $p i32) (result i32)
    (local $j i32) (local $s i32)
    (block $done
      (loop $l
        (local.set $s (i32.add (local.get $s) (i32.load (local.get $p))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br_if $done (i32.eq (local.tee $j (i32.add (local.get $j) (i32.const 1))) (i32.const 3)))
        (br $l)))
    (i32.add (i32.mul (local.get $s) (i32.const 1000)) (local.get $j)))

  ;; Stores: fill n words from p with the counter, then read one back.
  (func (export "fill") (param $p i32) (param $n i32) (param $at i32) (result i32)
    (local $j i32)
    (loop $l
      (i32.store (local.get $p) (local.get $j))
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (br_if $l (i32.ne (local.tee $j (i32.add (local.get $j) (i32.const 1))) (local.get $n))))
    (i32.load (local.get $at))))

(assert_return (invoke "sum" (i32.const 0) (i32.const 8)) (i32.const 36))
(assert_return (invoke "sum" (i32.const 4) (i32.const 1)) (i32.const 2))
;; n = 0: the loop runs off the end of memory.
(assert_trap (invoke "sum" (i32.const 0) (i32.const 0)) "out of bounds memory access")
;; From near the end: the third word is past it.
(assert_trap (invoke "sum" (i32.const 65528) (i32.const 3)) "out of bounds memory access")
;; j from 0 to 6 by 2: three pairs, 1+2+3+4+5+6 = 21, j = 6.
(assert_return (invoke "pairs" (i32.const 0) (i32.const 0) (i32.const 6)) (i32.const 21006))
;; j from 10 to 14: two pairs from 8: 3+4+5+6 = 18, j = 14.
(assert_return (invoke "pairs" (i32.const 8) (i32.const 10) (i32.const 14)) (i32.const 18014))
;; j from 6 to 2 wraps: 2^31 - 2 steps, the pointer leaves memory first.
(assert_trap (invoke "pairs" (i32.const 0) (i32.const 6) (i32.const 2)) "out of bounds memory access")
;; An odd distance is never met: also a trap at the end of memory.
(assert_trap (invoke "pairs" (i32.const 0) (i32.const 0) (i32.const 5)) "out of bounds memory access")
(assert_return (invoke "until_eq" (i32.const 4)) (i32.const 9003))
(assert_return (invoke "fill" (i32.const 100) (i32.const 5) (i32.const 116)) (i32.const 4))
(assert_trap (invoke "fill" (i32.const 65532) (i32.const 2) (i32.const 0)) "out of bounds memory access")
(assert_return (invoke "fill" (i32.const 65532) (i32.const 1) (i32.const 65532)) (i32.const 0))
