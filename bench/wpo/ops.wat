;; ops: four small steps of different generators in one table, for the
;; graph that dispatches on a computed index (dispatch.wat).
(module
  (type $step_t (func (param i32) (result i32)))
  (table (export "ops") 4 funcref)
  (elem (i32.const 0) $lcg $xorshift $rotate $lcg2)
  (func $lcg (type $step_t)
    (i32.add (i32.mul (local.get 0) (i32.const 1664525)) (i32.const 1013904223)))
  (func $xorshift (type $step_t)
    (i32.xor (local.get 0) (i32.shl (local.get 0) (i32.const 13))))
  (func $rotate (type $step_t)
    (i32.add (i32.rotl (local.get 0) (i32.const 7)) (i32.const 1)))
  (func $lcg2 (type $step_t)
    (i32.add (i32.mul (local.get 0) (i32.const 22695477)) (i32.const 1))))
