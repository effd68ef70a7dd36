;; Imports lib's tag `oops` with another payload type: a link error that
;; names both types.
(module
  (import "lib" "oops" (tag (param i64)))
  (func (export "_start"))
  (memory (export "memory") 1))
