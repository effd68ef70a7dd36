;; Inside the tree, but its own import leads outside.
(module
  (import "./lib/chain.wat" "f" (func))
  (func (export "_start")))
