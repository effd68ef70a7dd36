(module
  (import "api" "add" (func (param i32 i32) (result i32)))
  (import "api" "minus" (func (param i32 i32) (result i32)))
  (import "api" "write" (func (param i32 i32 i32 i32) (result i32)))
  (import "api" "times" (func (param i32 i32) (result i32)))
  (func (export "_start")))
