;; Imports `get` (called) and `put` (never called) of an interface.
(component
  (import "my:pkg/api@1.0.0" (instance $api
    (export "get" (func (result s32)))
    (export "put" (func (param "v" s32)))))
  (alias export $api "get" (func $get))
  (core func $get_lowered (canon lower (func $get)))
  (core module $m
    (import "api" "get" (func (result i32)))
    (func (export "calc") (result i32) call 0))
  (core instance $i (instantiate $m (with "api" (instance (export "get" (func $get_lowered))))))
  (func (export "calc") (result s32) (canon lift (core func $i "calc"))))
