;; Not even well-formed text: an unknown instruction and a missing paren.
(module
  (func (export "_start")
    (i32.frobnicate (i32.const 1))
