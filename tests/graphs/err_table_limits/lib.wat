(module
  (table (export "t") 5 funcref))
