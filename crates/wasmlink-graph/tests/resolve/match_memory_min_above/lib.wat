(module (memory (export "x") 2 3))
