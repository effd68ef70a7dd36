;; local: the baseline of the call graphs. call.wat's loop calling a copy of
;; lib.step defined in the same module.
(module
  (func $step (param i32) (result i32)
    (i32.add (i32.mul (local.get 0) (i32.const 1664525)) (i32.const 1013904223)))
  (func (export "run") (param $n i32) (result i32)
    (local $i i32) (local $x i32)
    (block $done
      (br_if $done (i32.eqz (local.get $n)))
      (loop $l
        (local.set $x (call $step (local.get $x)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (local.get $n)))))
    (local.get $x)))
