(module
  (import "../shared.wat" "one" (func (result i32)))
  (func (export "twice") (param i32) (result i32) local.get 0 local.get 0 i32.add))
