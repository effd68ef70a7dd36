(module (table (export "x") 2 funcref))
