;; odd: the other half of the cycle; it imports is_even from even.
(module
  (import "peer" "is_even" (func $is_even (param i32) (result i32)))
  (func $is_odd (export "is_odd") (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else (call $is_even (i32.sub (local.get $n) (i32.const 1)))))))
