(module
  (import "wasi" "thread-spawn" (func (param i32) (result i32)))
  (import "env" "memory" (memory 1 1))
  (func (export "wasi_thread_start") (param i32 i32))
  (func (export "_start")))
