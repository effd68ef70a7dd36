(module (global (export "x") (mut i32) (i32.const 1)))
