(module
  (memory (export "f") 1))
