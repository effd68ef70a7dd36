(module (memory (export "x") 1))
