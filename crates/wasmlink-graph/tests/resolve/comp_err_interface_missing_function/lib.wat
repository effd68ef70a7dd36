;; Exports the interface the app imports, without the function it calls.
(component
  (core module $m (func (export "put") (param i32)))
  (core instance $i (instantiate $m))
  (func $put (param "v" s32) (canon lift (core func $i "put")))
  (instance $api (export "put" (func $put)))
  (export "my:pkg/api@1.0.0" (instance $api)))
