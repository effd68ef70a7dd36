;; table: call.wat's loop through call_indirect into the funcref table lib
;; exports (slot 0 holds lib.step).
(module
  (type $step_t (func (param i32) (result i32)))
  (import "lib" "table" (table $t 1 funcref))
  (func (export "run") (param $n i32) (result i32)
    (local $i i32) (local $x i32)
    (block $done
      (br_if $done (i32.eqz (local.get $n)))
      (loop $l
        (local.set $x (call_indirect $t (type $step_t) (local.get $x) (i32.const 0)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (local.get $n)))))
    (local.get $x)))
