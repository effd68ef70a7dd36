;; mem: defines and exports the memory, with a message in it.
(module
  (memory (export "memory") 1)
  (data (i32.const 1000) "written by mem, printed by user\n"))
