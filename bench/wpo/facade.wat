;; facade: call.wat's loop, but the callee is imported as api.next, a name
;; only the facade "api" of facade.json gives to lib.step.
(module
  (import "api" "next" (func $step (param i32) (result i32)))
  (func (export "run") (param $n i32) (result i32)
    (local $i i32) (local $x i32)
    (block $done
      (br_if $done (i32.eqz (local.get $n)))
      (loop $l
        (local.set $x (call $step (local.get $x)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (local.get $n)))))
    (local.get $x)))
