;; A component importing an interface nothing in the graph provides.
(component
  (import "my:pkg/api@1.0.0" (instance $api (export "get" (func (result s32)))))
  (alias export $api "get" (func $get))
  (core func $get_lowered (canon lower (func $get)))
  (core module $m
    (import "api" "get" (func (result i32)))
    (func (export "run") (result i32) call 0 drop i32.const 0))
  (core instance $i (instantiate $m (with "api" (instance (export "get" (func $get_lowered))))))
  (func $run (result (result)) (canon lift (core func $i "run")))
  (instance $cli (export "run" (func $run)))
  (export "wasi:cli/run@0.2.0" (instance $cli)))
