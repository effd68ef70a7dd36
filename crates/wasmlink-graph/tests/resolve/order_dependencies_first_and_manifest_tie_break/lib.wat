(module (memory (export "mem") 1))
