(module
  (import "wasi" "thread-spawn" (func (param i32) (result i32)))
  (import "env" "memory" (memory 1 1 shared))
  (func (export "_start")))
