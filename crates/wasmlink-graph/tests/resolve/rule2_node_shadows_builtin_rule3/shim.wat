(module (func (export "fd_write") (param i32 i32 i32 i32) (result i32) i32.const 0))
