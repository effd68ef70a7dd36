(module
  (memory (export "memory") 1 4))
