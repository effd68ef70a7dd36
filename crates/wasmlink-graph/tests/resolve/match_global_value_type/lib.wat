(module (global (export "x") i32 (i32.const 1)))
