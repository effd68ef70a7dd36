;; dispatch: a loop through call_indirect into the table ops exports, with
;; an index computed each iteration (i & 3), as an interpreter's dispatch
;; or a C call through a function pointer picked at run time.
(module
  (type $step_t (func (param i32) (result i32)))
  (import "ops" "ops" (table $t 4 funcref))
  (func (export "run") (param $n i32) (result i32)
    (local $i i32) (local $x i32)
    (block $done
      (br_if $done (i32.eqz (local.get $n)))
      (loop $l
        (local.set $x (call_indirect $t (type $step_t)
          (local.get $x) (i32.and (local.get $i) (i32.const 3))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (local.get $n)))))
    (local.get $x)))
