;; ops: a table of operations; entry 1 divides and traps on 0.
(module
  (type $binop (func (param i32 i32) (result i32)))
  (table (export "ops") 2 funcref)
  (elem (i32.const 0) $add $div)
  (func $add (type $binop) (i32.add (local.get 0) (local.get 1)))
  (func $div (type $binop) (i32.div_u (local.get 0) (local.get 1))))
