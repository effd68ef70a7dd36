(module
  (import "api" "sub" (func (param i32 i32) (result i32)))
  (import "api/m" "mul" (func (param i32 i32) (result i32)))
  (import "api/all" "add" (func (param i32 i32) (result i32)))
  (import "outer/inner/m" "mul" (func (param i32 i32) (result i32)))
  (func (export "_start")))
