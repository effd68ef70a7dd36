;; Provides `put` with another type than the app imports (the app never
;; calls it: still an error).
(component
  (core module $m
    (func (export "get") (result i32) i32.const 7)
    (func (export "put") (param i64)))
  (core instance $i (instantiate $m))
  (func $get (result s32) (canon lift (core func $i "get")))
  (func $put (param "v" s64) (canon lift (core func $i "put")))
  (instance $api (export "get" (func $get)) (export "put" (func $put)))
  (export "my:pkg/api@1.0.0" (instance $api)))
