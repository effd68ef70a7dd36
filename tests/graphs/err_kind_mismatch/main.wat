;; imports lib.f as a function; it is a memory.
(module
  (import "lib" "f" (func $f))
  (func (export "_start") (call $f)))
