;; ops: exports a funcref table filled by an element segment. Callers import
;; the table and pick an operation by index with call_indirect.
(module
  (type $binop (func (param i32 i32) (result i32)))
  (table (export "ops") 4 funcref)
  (elem (i32.const 0) $add $sub $mul $max)
  (func $add (type $binop) (i32.add (local.get 0) (local.get 1)))
  (func $sub (type $binop) (i32.sub (local.get 0) (local.get 1)))
  (func $mul (type $binop) (i32.mul (local.get 0) (local.get 1)))
  (func $max (type $binop)
    (select (local.get 0) (local.get 1) (i32.gt_s (local.get 0) (local.get 1)))))
