(module
  (import "wasi" "thread_spawn" (func (param i32) (result i32)))
  (func (export "_start")))
