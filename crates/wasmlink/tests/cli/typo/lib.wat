(module
  (func (export "is_even") (param i32) (result i32)
    (i32.eqz (i32.rem_u (local.get 0) (i32.const 2))))
  (func (export "is_odd") (param i32) (result i32)
    (i32.rem_u (local.get 0) (i32.const 2))))
