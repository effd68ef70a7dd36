(module (memory (export "x") i64 1))
