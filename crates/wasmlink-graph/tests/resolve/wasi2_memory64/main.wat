(module
  (import "wasi:cli/environment@0.2.0" "get-arguments" (func (param i32)))
  (memory (export "memory") i64 1)
  (func (export "_start")))
