(module
  (import "f1" "add" (func (param i32 i32) (result i32)))
  (import "f2" "add" (func (param i32 i32) (result i32)))
  (func (export "_start")))
