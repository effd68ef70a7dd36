(module
  (import "wasi" "thread-join" (func (param i32) (result i32)))
  (func (export "_start")))
