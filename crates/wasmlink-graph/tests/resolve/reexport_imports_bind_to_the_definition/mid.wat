(module
  (import "math" "add" (func $add (param i32 i32) (result i32)))
  (import "math" "g" (global $g i32))
  (export "plus" (func $add))
  (export "g" (global $g)))
