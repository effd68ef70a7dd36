;; Provides the interface without `put`.
(component
  (core module $m (func (export "get") (result i32) i32.const 7))
  (core instance $i (instantiate $m))
  (func $get (result s32) (canon lift (core func $i "get")))
  (instance $api (export "get" (func $get)))
  (export "my:pkg/api@1.0.0" (instance $api)))
