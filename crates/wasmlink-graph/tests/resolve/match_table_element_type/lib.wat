(module (table (export "x") 1 funcref))
