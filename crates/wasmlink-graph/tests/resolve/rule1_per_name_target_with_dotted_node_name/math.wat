(module (func (export "a.b") (param i32 i32) (result i32) local.get 0))
