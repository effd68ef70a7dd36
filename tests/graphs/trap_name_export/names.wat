;; A function with no name-section name is named by its export.
(module
  (func (export "explode") unreachable)
  (func (export "_start") (call 0)))
