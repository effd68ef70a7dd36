;; A file outside the tree, without an extension: refused before it is opened.
(module
  (import "./../../../../../../../../../../../../etc/hostname" "f" (func))
  (func (export "_start")))
