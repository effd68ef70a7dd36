(module
  (import "wasi" "thread-spawn" (func $spawn (param i64) (result i32)))
  (import "env" "memory" (memory 1 1 shared))
  (func (export "wasi_thread_start") (param i32 i32))
  (func (export "_start") (drop (call $spawn (i64.const 0)))))
