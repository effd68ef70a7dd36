;; An init export that takes a parameter, and one that is not a function.
(module
  (func (export "init") (param i32))
  (memory (export "mem") 1)
  (func (export "_start")))
