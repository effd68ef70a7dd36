(module (memory (export "mem") 1 2))
