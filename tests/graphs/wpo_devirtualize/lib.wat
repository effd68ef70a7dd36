;; lib: owns a table another instance fills, and calls through it with a
;; constant index (the shape of wit-component's shims).
(module
  (type $t (func (param i32) (result i32)))
  (table (export "table") 1 funcref)
  (func (export "call0") (param i32) (result i32)
    (call_indirect (type $t) (local.get 0) (i32.const 0))))
