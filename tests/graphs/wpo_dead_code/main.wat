(module
  (import "lib" "square" (func $square (param i32) (result i32)))
  (func (export "run") (param i32) (result i32)
    (call $square (local.get 0))))
