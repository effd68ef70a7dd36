;; A module file outside the tree.
(module
  (import "./../outside/lib.wat" "f" (func))
  (func (export "_start")))
