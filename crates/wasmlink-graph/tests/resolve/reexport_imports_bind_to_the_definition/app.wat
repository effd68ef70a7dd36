(module
  (import "mid" "plus" (func (param i32 i32) (result i32)))
  (import "mid" "g" (global i32))
  (func (export "_start")))
