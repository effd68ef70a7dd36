;; needs a table of at least 10 entries; lib's has 5.
(module
  (import "lib" "t" (table 10 funcref))
  (func (export "_start")))
