;; imports lib.add with 64-bit parameters; lib defines it with 32-bit ones.
(module
  (import "lib" "add" (func $add (param i64 i64) (result i64)))
  (func (export "_start") (drop (call $add (i64.const 6) (i64.const 7)))))
