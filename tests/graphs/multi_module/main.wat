;; main: imports from math (by node name) and host.log (import map to io).
(module
  (import "math" "add" (func $add (param i32 i32) (result i32)))
  (import "math" "fib" (func $fib (param i32) (result i32)))
  (import "host" "log" (func $log (param i32)))
  (func (export "_start")
    (call $log (call $add (i32.const 40) (i32.const 2)))
    (call $log (call $fib (i32.const 10)))
    (call $log (call $fib (i32.const 46)))
    (call $log (call $add (call $fib (i32.const 20)) (i32.const -6765)))))
