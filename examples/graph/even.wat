;; even: one half of a function-import cycle (even <-> odd).
(module
  (import "peer" "is_odd" (func $is_odd (param i32) (result i32)))
  (func $is_even (export "is_even") (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 1))
      (else (call $is_odd (i32.sub (local.get $n) (i32.const 1)))))))
