;; early: instantiated before fixup, its start function calls through
;; lib's table while it is still empty: an uninitialized element.
(module
  (import "lib" "call0" (func $call0 (param i32) (result i32)))
  (func $start (drop (call $call0 (i32.const 1))))
  (start $start)
  (func (export "ready") (result i32) (i32.const 0)))
