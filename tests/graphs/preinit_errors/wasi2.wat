;; A WASI 0.2 call while it is initialised: refused at build time.
(module
  (import "wasi:cli/stdout@0.2.0" "get-stdout" (func $get_stdout (result i32)))
  (memory (export "memory") 1)
  (func $start (drop (call $get_stdout)))
  (start $start)
  (func (export "_start")))
