;; Outside the tree and missing: the same message (nothing is asked of the file system).
(module
  (import "../nowhere/lib.wasm" "f" (func))
  (func (export "_start")))
