(module (table (export "x") 2 5 funcref))
