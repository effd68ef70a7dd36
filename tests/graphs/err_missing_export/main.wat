;; imports lib.mul, which lib does not export.
(module
  (import "lib" "mul" (func $mul (param i32 i32) (result i32)))
  (func (export "_start") (drop (call $mul (i32.const 6) (i32.const 7)))))
