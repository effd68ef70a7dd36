;; needs at least 2 pages and at most 2; lib's memory has 1 and may grow to 4.
(module
  (import "lib" "memory" (memory 2 2))
  (func (export "_start")))
