(module
  (import "wasi:cli/stdout" "get-stdout" (func (result i32)))
  (func (export "_start")))
