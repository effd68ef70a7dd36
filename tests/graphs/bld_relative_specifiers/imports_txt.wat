;; Inside the tree, but not a module file.
(module
  (import "./lib/notes.txt" "f" (func))
  (func (export "_start")))
