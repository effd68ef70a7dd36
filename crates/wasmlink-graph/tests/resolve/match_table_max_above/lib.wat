(module (table (export "x") 2 6 funcref))
