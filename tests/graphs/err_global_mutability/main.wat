;; imports lib.g as mutable; lib exports it immutable.
(module
  (import "lib" "g" (global $g (mut i32)))
  (func (export "_start") (global.set $g (i32.const 2))))
