(module
  (global (export "g") i32 (i32.const 7))
  (func (export "add") (param i32 i32) (result i32) local.get 0))
