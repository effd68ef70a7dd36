;; Long 32-bit sums regrouped so the terms ready last are added last
;; (tests/disas/sum-regrouped.wat). Addition modulo 2^32 is associative
;; and commutative, so every grouping gives Wasm's result: these sums
;; wrap, mix terms of very different depths, share a partial sum with
;; another use (which must not be regrouped away), and trap in a term.
(module
  (memory 1)
  (data (i32.const 0) "\ff\ff\ff\7f\01\00\00\80\10\32\54\76\98\ba\dc\fe")

  ;; SHA-256's round sum: d + h + Σ1(e) + Ch(e, f, g) + K + W.
  (func (export "round") (param $e i32) (param $f i32) (param $g i32) (param $h i32)
                         (param $d i32) (param $k i32) (result i32)
    (i32.add
      (i32.add
        (i32.add
          (i32.add
            (i32.add
              (i32.xor (i32.xor (i32.rotr (local.get $e) (i32.const 6))
                                (i32.rotr (local.get $e) (i32.const 11)))
                       (i32.rotr (local.get $e) (i32.const 25)))
              (local.get $h))
            (i32.xor (i32.and (local.get $e) (local.get $f))
                     (i32.and (i32.xor (local.get $e) (i32.const -1)) (local.get $g))))
          (i32.load (local.get $k)))
        (i32.load offset=4 (local.get $k)))
      (local.get $d)))

  ;; Eight terms, each a product: the sum wraps several times.
  (func (export "products") (param $a i32) (param $b i32) (result i32)
    (i32.add (i32.add (i32.add (i32.add (i32.add (i32.add (i32.add
      (i32.mul (local.get $a) (local.get $a))
      (i32.mul (local.get $a) (local.get $b)))
      (i32.mul (local.get $b) (local.get $b)))
      (i32.mul (i32.mul (local.get $a) (local.get $b)) (local.get $a)))
      (local.get $a))
      (i32.const 0x7fffffff))
      (i32.mul (i32.mul (i32.mul (local.get $b) (local.get $b)) (local.get $b)) (local.get $a)))
      (local.get $b)))

  ;; A partial sum used twice: the sum and the partial sum both return.
  (func (export "shared") (param $a i32) (param $b i32) (param $c i32) (param $d i32) (result i32 i32)
    (local $p i32)
    (local.set $p (i32.add (local.get $a) (i32.mul (local.get $b) (local.get $c))))
    (i32.add (i32.add (i32.add (local.get $p) (local.get $d)) (i32.mul (local.get $a) (local.get $d)))
             (local.get $c))
    (local.get $p))

  ;; A term that traps: the sum never completes.
  (func (export "trapping") (param $a i32) (param $k i32) (result i32)
    (i32.add (i32.add (i32.add (i32.add
      (local.get $a) (i32.load (local.get $k)))
      (i32.div_u (local.get $a) (local.get $k)))
      (i32.mul (local.get $a) (local.get $a)))
      (i32.const 1))))

(assert_return (invoke "round" (i32.const 0x510e527f) (i32.const 0x9b05688c) (i32.const 0x1f83d9ab)
                                (i32.const 0x5be0cd19) (i32.const 0xa54ff53a) (i32.const 0))
  (i32.const 0x563db30a))
(assert_return (invoke "round" (i32.const -1) (i32.const -1) (i32.const 0) (i32.const -1)
                                (i32.const -1) (i32.const 8))
  (i32.const 0x7530eca4))
(assert_return (invoke "products" (i32.const 0x12345) (i32.const -0x6789)) (i32.const 0x1100b7da))
(assert_return (invoke "products" (i32.const -1) (i32.const -1)) (i32.const 0x80000000))
(assert_return (invoke "shared" (i32.const 5) (i32.const 0x10000) (i32.const 0x10001) (i32.const -7))
  (i32.const 0x1ffdc) (i32.const 0x10005))
(assert_return (invoke "trapping" (i32.const 100) (i32.const 4)) (i32.const 2147493775))
(assert_trap (invoke "trapping" (i32.const 100) (i32.const 0)) "integer divide by zero")
(assert_trap (invoke "trapping" (i32.const 100) (i32.const 65535)) "out of bounds memory access")
