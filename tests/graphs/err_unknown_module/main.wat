;; imports from a module no node, builtin or file provides.
(module
  (import "nosuch" "f" (func $f))
  (func (export "_start") (call $f)))
