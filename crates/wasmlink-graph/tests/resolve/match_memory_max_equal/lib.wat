(module (memory (export "x") 1 3))
