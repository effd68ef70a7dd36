;; Loops with twin induction variables: header parameters that every back
;; edge steps by the same amount, one of which is read only on some paths
;; or after the loop (compile/twin_inductions.rs computes it from the
;; other there; tests/disas/loop-twin-inductions.wat shows it). Each loop
;; below is one where a wrong difference, a wrong width or a wrong place
;; would change the result or the iteration that traps: twins of one
;; width and of two (an i64 that crosses 2^32 against an i32), stepped by
;; a constant, by a value that changes every iteration and downwards, read
;; in an inner loop, addressing a store that traps, and stepped on two
;; ways back to the header, twins of a loop read by the loop after it,
;; exit tests (`eq`, `ne`) on the twin that goes or on its step, which
;; then compare the twin that stays, and a comparison after the loop with
;; a value computed there, which is not one. Checked against `wasmtime
;; wast`.
(module
  (memory 1)

  ;; $k steps with $i (from 7 above it) and is read only on every fourth
  ;; iteration and after the loop.
  (func (export "every_fourth") (param $n i32) (result i32)
    (local $i i32) (local $k i32) (local $acc i32) (local $u i32)
    (local.set $k (i32.const 7))
    (block $done
      (loop $l
        (if (i32.eqz (i32.and (local.get $i) (i32.const 3)))
          (then
            (local.set $u (i32.const 0))
            (loop $busy (br_if $busy (i32.lt_u (local.tee $u (i32.add (local.get $u) (i32.const 1))) (i32.const 2))))
            (local.set $acc (i32.add (i32.mul (local.get $acc) (i32.const 31)) (local.get $k)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (local.get $n)))))
    (i32.add (i32.mul (local.get $acc) (i32.const 3)) (local.get $k)))

  ;; An i64 counter that crosses 2^32 and an i32 twin read on odd
  ;; iterations: the i32 is the low half of the i64 plus a difference.
  (func (export "widths") (param $n i32) (result i64)
    (local $w i64) (local $i i32) (local $c i32) (local $acc i64)
    (local.set $w (i64.const 0xfffffffd))
    (local.set $i (i32.const -9))
    (loop $l
      (if (i32.and (local.get $c) (i32.const 1))
        (then (local.set $acc (i64.add (i64.mul (local.get $acc) (i64.const 1000003))
                                      (i64.extend_i32_u (local.get $i))))))
      (if (i64.eq (i64.and (local.get $w) (i64.const 7)) (i64.const 0))
        (then (local.set $acc (i64.xor (local.get $acc) (local.get $w)))))
      (local.set $w (i64.add (local.get $w) (i64.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $c) (local.get $n))))
    (local.get $acc))

  ;; Twins stepped by a value that changes every iteration ($d), one read
  ;; when the sum is a multiple of 5, and a step down by 3 for two more.
  (func (export "shared_step") (param $n i32) (result i32)
    (local $d i32) (local $a i32) (local $b i32) (local $x i32) (local $y i32)
    (local $c i32) (local $acc i32)
    (local.set $d (i32.const 1))
    (local.set $b (i32.const 100))
    (local.set $y (i32.const -50))
    (loop $l
      (if (i32.eqz (i32.rem_u (local.get $a) (i32.const 5)))
        (then (local.set $acc (i32.xor (i32.rotl (local.get $acc) (i32.const 5))
                                       (i32.add (local.get $b) (local.get $y))))))
      (local.set $acc (i32.add (local.get $acc) (local.get $x)))
      (local.set $a (i32.add (local.get $a) (local.get $d)))
      (local.set $b (i32.add (local.get $b) (local.get $d)))
      (local.set $x (i32.sub (local.get $x) (i32.const 3)))
      (local.set $y (i32.add (local.get $y) (i32.const -3)))
      (local.set $d (i32.add (local.get $d) (i32.const 2)))
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $c) (local.get $n))))
    (i32.add (local.get $acc) (i32.mul (local.get $b) (i32.const 7))))

  ;; A twin read only inside an inner loop, which starts where it says.
  (func (export "inner") (param $n i32) (result i32)
    (local $i i32) (local $k i32) (local $j i32) (local $acc i32)
    (local.set $k (i32.const 3))
    (block $done
      (loop $l
        (if (i32.eq (i32.and (local.get $i) (i32.const 7)) (i32.const 5))
          (then
            (local.set $j (local.get $k))
            (loop $m
              (local.set $acc (i32.add (local.get $acc) (local.get $j)))
              (local.set $j (i32.add (local.get $j) (local.get $k)))
              (br_if $m (i32.lt_u (local.get $j) (i32.mul (local.get $k) (i32.const 4)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (br $l)))
    (local.get $acc))

  ;; The twin addresses a store on every third iteration: it traps at the
  ;; iteration it reaches the end of memory, after the stores before it.
  (func (export "stores") (param $start i32) (param $n i32)
    (local $i i32) (local $p i32)
    (local.set $p (local.get $start))
    (loop $l
      (if (i32.eqz (i32.rem_u (local.get $i) (i32.const 3)))
        (then (i32.store8 (local.get $p) (i32.add (local.get $i) (i32.const 1)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n)))))
  (func (export "byte") (param $a i32) (result i32) (i32.load8_u (local.get $a)))

  ;; Two ways back to the header (`continue` on odd numbers, and the end
  ;; of the body), each stepping both twins; the twin is read on even
  ;; numbers and after the loop.
  (func (export "two_latches") (param $n i32) (result i32)
    (local $i i32) (local $k i32) (local $acc i32)
    (local.set $k (i32.const 1000))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (if (i32.and (local.get $i) (i32.const 1))
          (then
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $l)))
        (local.set $acc (i32.add (i32.mul (local.get $acc) (i32.const 7)) (local.get $k)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $l)))
    (i32.add (local.get $acc) (local.get $k)))

  ;; Two loops one after the other: the first's twin, read at its exit,
  ;; is where the second's twins start.
  (func (export "siblings") (param $n i32) (result i32)
    (local $i i32) (local $k i32) (local $a i32) (local $b i32) (local $acc i32)
    (local.set $k (i32.const 5))
    (block $first
      (loop $s
        (br_if $first (i32.ge_u (local.get $i) (local.get $n)))
        (if (i32.eq (i32.and (local.get $i) (i32.const 3)) (i32.const 1))
          (then (local.set $acc (i32.add (i32.mul (local.get $acc) (i32.const 3)) (local.get $k)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $s)))
    (local.set $a (local.get $k))
    (loop $l
      (if (i32.eqz (i32.and (local.get $b) (i32.const 7)))
        (then (local.set $acc (i32.xor (local.get $acc) (local.get $a)))))
      (local.set $a (i32.add (local.get $a) (i32.const 2)))
      (local.set $b (i32.add (local.get $b) (i32.const 2)))
      (br_if $l (i32.lt_u (local.get $b) (i32.shl (local.get $n) (i32.const 1)))))
    (i32.add (local.get $acc) (local.get $a)))

  ;; Exit tests on the twin that goes (`eq` and `ne`, the bound on either
  ;; side, a constant or a parameter): they compare the twin that stays,
  ;; an i64 crossing 2^32 here, against a bound moved before the loop.
  (func (export "exit_eq") (param $n i32) (result i64)
    (local $i i32) (local $k i64) (local $acc i64)
    (local.set $k (i64.const 0xfffffffe))
    (block $done
      (loop $l
        (local.set $acc (i64.add (local.get $acc) (i64.and (local.get $k) (i64.const 0xff))))
        (if (i64.eq (i64.and (local.get $k) (i64.const 3)) (i64.const 2))
          (then (local.set $acc (i64.mul (local.get $acc) (i64.extend_i32_u (local.get $i))))))
        (br_if $done (i32.eq (i32.add (local.get $i) (i32.const 1)) (local.get $n)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (local.set $k (i64.add (local.get $k) (i64.const 1)))
        (br $l)))
    (i64.add (local.get $acc) (i64.extend_i32_u (local.get $i))))
  (func (export "exit_ne") (param $p i32) (result i32)
    (local $i i32) (local $q i32) (local $acc i32)
    (local.set $q (local.get $p))
    (loop $l
      (local.set $acc (i32.add (local.get $acc) (i32.load8_u (local.get $q))))
      (if (i32.eqz (i32.and (local.get $acc) (i32.const 7)))
        (then (local.set $acc (i32.xor (local.get $acc) (local.get $i)))))
      (local.set $q (i32.add (local.get $q) (i32.const 3)))
      (br_if $l (i32.ne (i32.const 300) (local.tee $i (i32.add (local.get $i) (i32.const 3))))))
    (local.get $acc))

  ;; The twin's last step is compared after the loop with a value computed
  ;; after it: not an exit test (its bound is not there before the loop).
  (func (export "after") (param $n i32) (result i32)
    (local $p i32) (local $q i32) (local $acc i32) (local $x i32)
    (local.set $q (i32.const 10))
    (loop $l
      (local.set $acc (i32.add (local.get $acc) (local.get $p)))
      (if (i32.eqz (i32.and (local.get $acc) (i32.const 3)))
        (then (local.set $acc (i32.add (local.get $acc) (local.get $q)))))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (local.set $q (i32.add (local.get $q) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $p) (local.get $n))))
    (local.set $x (i32.sub (local.get $acc) (local.get $n)))
    (if (result i32) (i32.eq (local.get $q) (local.get $x))
      (then (i32.const -1))
      (else (local.get $acc))))
)
(assert_return (invoke "every_fourth" (i32.const 1)) (i32.const 29))
(assert_return (invoke "every_fourth" (i32.const 2)) (i32.const 30))
(assert_return (invoke "every_fourth" (i32.const 5)) (i32.const 696))
(assert_return (invoke "every_fourth" (i32.const 100)) (i32.const 2112344976))
(assert_return (invoke "every_fourth" (i32.const 1001)) (i32.const 2079084865))
(assert_return (invoke "widths" (i32.const 1)) (i64.const 0))
(assert_return (invoke "widths" (i32.const 2)) (i64.const 4294967288))
(assert_return (invoke "widths" (i32.const 3)) (i64.const 4294967288))
(assert_return (invoke "widths" (i32.const 8)) (i64.const -5487967576039170332))
(assert_return (invoke "widths" (i32.const 20)) (i64.const 7831326294544376098))
(assert_return (invoke "widths" (i32.const 1000)) (i64.const 6918841848422075300))
(assert_return (invoke "shared_step" (i32.const 1)) (i32.const 757))
(assert_return (invoke "shared_step" (i32.const 7)) (i32.const 1710))
(assert_return (invoke "shared_step" (i32.const 50)) (i32.const 79028643))
(assert_return (invoke "shared_step" (i32.const 999)) (i32.const 852020637))
(assert_return (invoke "inner" (i32.const 1)) (i32.const 0))
(assert_return (invoke "inner" (i32.const 6)) (i32.const 48))
(assert_return (invoke "inner" (i32.const 14)) (i32.const 144))
(assert_return (invoke "inner" (i32.const 100)) (i32.const 3744))
(assert_return (invoke "inner" (i32.const 257)) (i32.const 25344))
(assert_return (invoke "stores" (i32.const 100) (i32.const 10)))
(assert_return (invoke "byte" (i32.const 100)) (i32.const 1))
(assert_return (invoke "byte" (i32.const 101)) (i32.const 0))
(assert_return (invoke "byte" (i32.const 103)) (i32.const 4))
(assert_return (invoke "byte" (i32.const 106)) (i32.const 7))
(assert_return (invoke "byte" (i32.const 109)) (i32.const 10))
(assert_return (invoke "byte" (i32.const 110)) (i32.const 0))
(assert_trap (invoke "stores" (i32.const 65530) (i32.const 20)) "out of bounds memory access")
(assert_return (invoke "byte" (i32.const 65530)) (i32.const 1))
(assert_return (invoke "byte" (i32.const 65533)) (i32.const 4))
(assert_return (invoke "byte" (i32.const 65535)) (i32.const 0))
(assert_return (invoke "two_latches" (i32.const 0)) (i32.const 1000))
(assert_return (invoke "two_latches" (i32.const 1)) (i32.const 2001))
(assert_return (invoke "two_latches" (i32.const 2)) (i32.const 2002))
(assert_return (invoke "two_latches" (i32.const 9)) (i32.const 2802941))
(assert_return (invoke "two_latches" (i32.const 500)) (i32.const 758162454))
(assert_return (invoke "siblings" (i32.const 0)) (i32.const 12))
(assert_return (invoke "siblings" (i32.const 1)) (i32.const 14))
(assert_return (invoke "siblings" (i32.const 2)) (i32.const 12))
(assert_return (invoke "siblings" (i32.const 5)) (i32.const 50))
(assert_return (invoke "siblings" (i32.const 77)) (i32.const 354078766))
(assert_return (invoke "siblings" (i32.const 1000)) (i32.const -1837508687))
(assert_return (invoke "exit_ne" (i32.const 0)) (i32.const 3))
(assert_return (invoke "exit_ne" (i32.const 100)) (i32.const 22))
(assert_return (invoke "exit_ne" (i32.const 65000)) (i32.const 3))
(assert_trap (invoke "exit_ne" (i32.const 65400)) "out of bounds memory access")
(assert_return (invoke "exit_eq" (i32.const 1)) (i64.const 0))
(assert_return (invoke "exit_eq" (i32.const 2)) (i64.const 256))
(assert_return (invoke "exit_eq" (i32.const 3)) (i64.const 257))
(assert_return (invoke "exit_eq" (i32.const 9)) (i64.const 8408))
(assert_return (invoke "exit_eq" (i32.const 1000)) (i64.const 3808653192614510427))
(assert_return (invoke "after" (i32.const 1)) (i32.const 10))
(assert_return (invoke "after" (i32.const 2)) (i32.const 11))
(assert_return (invoke "after" (i32.const 3)) (i32.const 13))
(assert_return (invoke "after" (i32.const 10)) (i32.const 103))
(assert_return (invoke "after" (i32.const 100)) (i32.const 7229))
