;; A symlink inside the tree that leads outside it.
(module
  (import "./lib/escape.wat" "f" (func))
  (func (export "_start")))
