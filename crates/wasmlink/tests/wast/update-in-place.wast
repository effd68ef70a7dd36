;; Read-modify-write updates (tests/disas/memory-update-in-place.wat): the
;; load of `c[j]` in `c[j] += a * b[j]` moves past the load of `b[j]` to
;; the store, so x64 adds into memory. Loads between may only trap as the
;; moved load does; anything else keeps the order, so the trap a program
;; meets first is the one Wasm names.
(module
  (memory 1)
  (data (i32.const 0) "\01\00\00\00\02\00\00\00\03\00\00\00\04\00\00\00")
  (data (i32.const 16) "\0a\00\00\00\14\00\00\00\1e\00\00\00\28\00\00\00")

  ;; c[j] += a * b[j] over n words; returns the sum of c afterwards.
  (func (export "axpy") (param $c i32) (param $b i32) (param $a i32) (param $n i32) (result i32)
    (local $j i32) (local $s i32)
    (loop $l
      (i32.store (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 2)))
        (i32.add (i32.load (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 2))))
                 (i32.mul (local.get $a)
                          (i32.load (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2)))))))
      (br_if $l (i32.ne (local.tee $j (i32.add (local.get $j) (i32.const 1))) (local.get $n))))
    (local.set $j (i32.const 0))
    (loop $m
      (local.set $s (i32.add (local.get $s)
        (i32.load (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 2))))))
      (br_if $m (i32.ne (local.tee $j (i32.add (local.get $j) (i32.const 1))) (local.get $n))))
    (local.get $s))

  ;; *p = *p - *q, 64-bit: the load of *p is on the left of the `sub`.
  (func (export "sub64") (param $p i32) (param $q i32) (result i64)
    (i64.store (local.get $p) (i64.sub (i64.load (local.get $p)) (i64.load (local.get $q))))
    (i64.load (local.get $p)))

  ;; *q - *p stored to p: the load of *p is on the right, which has no
  ;; memory form; the result must still be right.
  (func (export "rsub") (param $p i32) (param $q i32) (result i32)
    (i32.store (local.get $p) (i32.sub (i32.load (local.get $q)) (i32.load (local.get $p))))
    (i32.load (local.get $p)))

  ;; A division lies between the load and the store: the load stays first,
  ;; so an out-of-bounds p traps as such even when d is 0.
  (func (export "add_quotient") (param $p i32) (param $d i32)
    (i32.store (local.get $p)
      (i32.add (i32.load (local.get $p)) (i32.div_u (i32.const 100) (local.get $d)))))

  ;; A store lies between (to q, which may be p): the update reads p
  ;; before it.
  (func (export "add_after_store") (param $p i32) (param $q i32) (result i32)
    (local $old i32)
    (local.set $old (i32.load (local.get $p)))
    (i32.store (local.get $q) (i32.const 1000))
    (i32.store (local.get $p) (i32.or (local.get $old) (i32.load (local.get $q))))
    (i32.load (local.get $p)))

  ;; Both loads out of bounds: the program stops with the same trap
  ;; whichever faults first.
  (func (export "xor_both") (param $p i32) (param $q i32)
    (i32.store (local.get $p) (i32.xor (i32.load (local.get $p)) (i32.load (local.get $q))))))

;; 1+10*2, 2+20*2, 3+30*2, 4+40*2 = 21 42 63 84, sum 210.
(assert_return (invoke "axpy" (i32.const 0) (i32.const 16) (i32.const 2) (i32.const 4)) (i32.const 210))
;; The i64 at 0 after axpy is 42<<32 | 21, the one at 16 is 20<<32 | 10:
;; 42-20 = 22, 21-10 = 11.
(assert_return (invoke "sub64" (i32.const 0) (i32.const 16)) (i64.const 0x000000160000000b))
;; 10 - 11 at 0 (after sub64: the low word is 11).
(assert_return (invoke "rsub" (i32.const 0) (i32.const 16)) (i32.const -1))
(assert_trap (invoke "add_quotient" (i32.const 65536) (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "add_quotient" (i32.const 0) (i32.const 0)) "integer divide by zero")
;; -1 + 100/3 = 32
(invoke "add_quotient" (i32.const 0) (i32.const 3))
(assert_return (invoke "rsub" (i32.const 32) (i32.const 0)) (i32.const 32))
;; p = q = 8: the old word (63) or 1000.
(assert_return (invoke "add_after_store" (i32.const 8) (i32.const 8)) (i32.const 1023))
(assert_trap (invoke "xor_both" (i32.const 65536) (i32.const 65536)) "out of bounds memory access")
(assert_trap (invoke "xor_both" (i32.const 0) (i32.const 65536)) "out of bounds memory access")
(assert_trap (invoke "xor_both" (i32.const 65536) (i32.const 0)) "out of bounds memory access")
