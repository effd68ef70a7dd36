(module
  (import "lib" "twice" (func $twice (param i32) (result i32)))
  (func $call_lib (export "call_lib") (param i32) (result i32)
    (call $twice (local.get 0)))
  (func (export "_start")
    (drop (call $call_lib (i32.const 1)))))
