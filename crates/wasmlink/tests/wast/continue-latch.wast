;; Loops whose header branches straight to the latch (`continue`), which
;; get a copy of the latch of their own (tests/disas/loop-continue-latch.wat):
;; the copy must compute what the latch computes, pass the loop's values
;; on to its exits, trap where the latch traps and store what it stores.
;; Each loop below is one where a wrong copy would count differently,
;; lose a value at an exit, or trap at another iteration. The pass only
;; changes loops whose body calls or loops (the rest keep their layout),
;; so each body here runs a loop of two iterations (`$busy`) that changes
;; nothing else.
(module
  (memory 1)
  ;; bytes 0..15: 0 1 0 0 1 0 1 1 0 0 0 1 0 1 1 0
  (data (i32.const 0) "\00\01\00\00\01\00\01\01\00\00\00\01\00\01\01\00")

  ;; Sum of the i in [0, n) whose byte is zero: the sieve's outer loop.
  ;; The loop leaves through a block only the latch reaches, and `$c` is
  ;; read after it.
  (func (export "zeros") (param $n i32) (result i32)
    (local $u i32)
    (local $i i32) (local $c i32)
    (block $done
      (loop $l
        (block $skip
          (br_if $skip (i32.load8_u (local.get $i)))
          (local.set $u (i32.const 0))
          (loop $busy (br_if $busy (i32.lt_u (local.tee $u (i32.add (local.get $u) (i32.const 1))) (i32.const 2))))
          (local.set $c (i32.add (local.get $c) (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $done (i32.eq (local.get $i) (local.get $n)))
        (br $l)))
    (local.get $c))

  ;; The same behind a guard, so the exit is also reached from outside
  ;; the loop; the count of skipped numbers comes out through a global.
  (global $skipped (mut i32) (i32.const 0))
  (func (export "zeros_guarded") (param $n i32) (result i32)
    (local $u i32)
    (local $i i32) (local $c i32) (local $k i32)
    (block $done
      (br_if $done (i32.le_s (local.get $n) (i32.const 0)))
      (loop $l
        (block $skip
          (if (i32.load8_u (local.get $i))
            (then
              (local.set $k (i32.add (local.get $k) (i32.const 1)))
              (br $skip)))
          (local.set $u (i32.const 0))
          (loop $busy (br_if $busy (i32.lt_u (local.tee $u (i32.add (local.get $u) (i32.const 1))) (i32.const 2))))
          (local.set $c (i32.add (local.get $c) (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_s (local.get $i) (local.get $n)))))
    (global.set $skipped (local.get $k))
    (local.get $c))
  (func (export "skipped") (result i32) (global.get $skipped))

  ;; The header's test is a comparison that only the branch reads
  ;; (complemented in place) in `below`, and one the body reads too in
  ;; `below_counted`.
  (func (export "below") (param $t i32) (param $n i32) (result i32)
    (local $u i32)
    (local $i i32) (local $c i32)
    (loop $l
      (block $skip
        (br_if $skip (i32.ge_u (i32.load8_u (local.get $i)) (local.get $t)))
        (local.set $u (i32.const 0))
        (loop $busy (br_if $busy (i32.lt_u (local.tee $u (i32.add (local.get $u) (i32.const 1))) (i32.const 2))))
        (local.set $c (i32.add (i32.mul (local.get $c) (i32.const 3)) (local.get $i))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $c))
  (func (export "below_counted") (param $t i32) (param $n i32) (result i32)
    (local $u i32)
    (local $i i32) (local $c i32) (local $ge i32)
    (loop $l
      (block $skip
        (br_if $skip
          (local.tee $ge (i32.ge_u (i32.load8_u (local.get $i)) (local.get $t))))
        (local.set $u (i32.const 0))
        (loop $busy (br_if $busy (i32.lt_u (local.tee $u (i32.add (local.get $u) (i32.const 1))) (i32.const 2))))
        (local.set $c (i32.add (local.get $c) (i32.add (local.get $ge) (i32.const 10)))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $c))

  ;; A latch that divides: 100 / (d - i) traps when i reaches d, on the
  ;; skip path or the body's. The quotients are summed into `$q`.
  (func (export "divide") (param $d i32) (param $n i32) (result i32)
    (local $u i32)
    (local $i i32) (local $q i32)
    (block $done
      (loop $l
        (block $skip
          (br_if $skip (i32.load8_u (local.get $i)))
          (local.set $u (i32.const 0))
          (loop $busy (br_if $busy (i32.lt_u (local.tee $u (i32.add (local.get $u) (i32.const 1))) (i32.const 2))))
          (local.set $q (i32.add (local.get $q) (i32.const 1000))))
        (local.set $q
          (i32.add (local.get $q) (i32.div_s (i32.const 100) (i32.sub (local.get $d) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
        (br $l)))
    (local.get $q))

  ;; A latch that stores: byte 32 + i gets i + 1 on every iteration, on
  ;; either path.
  (func (export "mark") (param $n i32)
    (local $u i32)
    (local $i i32)
    (loop $l
      (block $skip
        (br_if $skip (i32.load8_u (local.get $i)))
        (local.set $u (i32.const 0))
        (loop $busy (br_if $busy (i32.lt_u (local.tee $u (i32.add (local.get $u) (i32.const 1))) (i32.const 2))))
        (i32.store8 offset=64 (local.get $i) (i32.const 7)))
      (i32.store8 offset=32 (local.get $i) (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n)))))
  (func (export "load8") (param $a i32) (result i32) (i32.load8_u (local.get $a)))

  ;; A latch with two exits whose value is read after they merge: `$i`
  ;; at the exit, times 10, plus 1 when the second exit was taken.
  (func (export "two_exits") (param $n i32) (param $m i32) (result i32)
    (local $u i32)
    (local $i i32) (local $e i32)
    (block $merge
      (block $second
        (block $first
          (loop $l
            (block $skip
              (br_if $skip (i32.load8_u (local.get $i)))
              (local.set $u (i32.const 0))
              (loop $busy (br_if $busy (i32.lt_u (local.tee $u (i32.add (local.get $u) (i32.const 1))) (i32.const 2))))
              (local.set $e (i32.add (local.get $e) (i32.const 0))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br_if $first (i32.eq (local.get $i) (local.get $n)))
            (br_if $second (i32.eq (local.get $i) (local.get $m)))
            (br $l)))
        (br $merge))
      (local.set $e (i32.const 1)))
    (i32.add (i32.mul (local.get $i) (i32.const 10)) (local.get $e)))

  ;; Nested: for each row r < rows, for each i < 16 whose byte is zero
  ;; (skipping the others), add r * 100 + i.
  (func (export "nested") (param $rows i32) (result i32)
    (local $u i32)
    (local $r i32) (local $i i32) (local $c i32)
    (block $outer_done
      (loop $outer
        (local.set $i (i32.const 0))
        (block $inner_done
          (loop $inner
            (block $skip
              (br_if $skip (i32.load8_u (local.get $i)))
              (local.set $u (i32.const 0))
              (loop $busy (br_if $busy (i32.lt_u (local.tee $u (i32.add (local.get $u) (i32.const 1))) (i32.const 2))))
              (local.set $c
                (i32.add (local.get $c)
                  (i32.add (i32.mul (local.get $r) (i32.const 100)) (local.get $i)))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br_if $inner_done (i32.eq (local.get $i) (i32.const 16)))
            (br $inner)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br_if $outer_done (i32.ge_u (local.get $r) (local.get $rows)))
        (br $outer)))
    (local.get $c))
)

;; zero bytes at 0 2 3 5 8 9 10 12 15
(assert_return (invoke "zeros" (i32.const 1)) (i32.const 0))
(assert_return (invoke "zeros" (i32.const 4)) (i32.const 5))
(assert_return (invoke "zeros" (i32.const 16)) (i32.const 64))

(assert_return (invoke "zeros_guarded" (i32.const 0)) (i32.const 0))
(assert_return (invoke "skipped") (i32.const 0))
(assert_return (invoke "zeros_guarded" (i32.const 8)) (i32.const 10))
(assert_return (invoke "skipped") (i32.const 4))
(assert_return (invoke "zeros_guarded" (i32.const 16)) (i32.const 64))
(assert_return (invoke "skipped") (i32.const 7))

;; bytes below 1 are the zeros: c = 3c + i over 0 2 3 5 8 9 10 12 15
(assert_return (invoke "below" (i32.const 1) (i32.const 16)) (i32.const 8808))
;; nothing is below 0: nothing added
(assert_return (invoke "below" (i32.const 0) (i32.const 16)) (i32.const 0))
;; 9 zeros, each adding 0 + 10
(assert_return (invoke "below_counted" (i32.const 1) (i32.const 16)) (i32.const 90))
(assert_return (invoke "below_counted" (i32.const 2) (i32.const 16)) (i32.const 160))

;; d = 20: 100/20 + 100/19 + ... over i < 4; i = 0, 2, 3 add 1000 each
(assert_return (invoke "divide" (i32.const 20) (i32.const 4)) (i32.const 3020))
;; i reaches d = 1 on the skip path (byte 1 is set)
(assert_trap (invoke "divide" (i32.const 1) (i32.const 4)) "integer divide by zero")
;; i reaches d = 2 on the body's path (byte 2 is zero)
(assert_trap (invoke "divide" (i32.const 2) (i32.const 4)) "integer divide by zero")

(invoke "mark" (i32.const 16))
(assert_return (invoke "load8" (i32.const 32)) (i32.const 1))
(assert_return (invoke "load8" (i32.const 33)) (i32.const 2))
(assert_return (invoke "load8" (i32.const 47)) (i32.const 16))
(assert_return (invoke "load8" (i32.const 48)) (i32.const 0))
(assert_return (invoke "load8" (i32.const 64)) (i32.const 7))
(assert_return (invoke "load8" (i32.const 65)) (i32.const 0))
(assert_return (invoke "load8" (i32.const 79)) (i32.const 7))

(assert_return (invoke "two_exits" (i32.const 5) (i32.const 9)) (i32.const 50))
(assert_return (invoke "two_exits" (i32.const 9) (i32.const 5)) (i32.const 51))

;; per row: 9 zeros, sum of their i = 64, plus 9 * 100 * r
(assert_return (invoke "nested" (i32.const 1)) (i32.const 64))
(assert_return (invoke "nested" (i32.const 3)) (i32.const 2892))
