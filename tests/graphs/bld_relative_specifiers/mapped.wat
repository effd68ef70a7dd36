;; Imports "env" "f", mapped by app.json to a file outside the tree.
(module
  (import "env" "f" (func))
  (func (export "_start")))
