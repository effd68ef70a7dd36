(module
  (import "env" "memory" (memory 1 1 shared))
  (import "wasi" "thread-spawn" (func (param i32) (result i32)))
  (import "spawner" "go" (func (param i32) (result i32)))
  (import "api" "thread-spawn" (func (param i32) (result i32)))
  (func (export "wasi_thread_start") (param i32 i32))
  (func (export "_start")))
