;; lib: the callee of the call-heavy benchmark. One tiny function (a step of
;; a linear congruential generator), so the cost measured is the call itself.
(module
  (func (export "step") (param $x i32) (result i32)
    (i32.add (i32.mul (local.get $x) (i32.const 1664525)) (i32.const 1013904223))))
