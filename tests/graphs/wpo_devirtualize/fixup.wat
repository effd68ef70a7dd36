;; fixup: fills lib's table when it is instantiated (after lib).
(module
  (type $t (func (param i32) (result i32)))
  (import "lib" "table" (table 1 funcref))
  (elem (i32.const 0) $triple)
  (func $triple (type $t) (i32.mul (local.get 0) (i32.const 3)))
  (func (export "ready") (result i32) (i32.const 0)))
