;; The lifted function's core type does not match its component type.
(component
  (core module $m (func (export "f") (result i64) i64.const 1))
  (core instance $i (instantiate $m))
  (func (export "f") (result s32) (canon lift (core func $i "f"))))
