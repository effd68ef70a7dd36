(module
  (global $n (mut i32) (i32.const 0))
  (func (export "bump") (global.set $n (i32.add (global.get $n) (i32.const 1))))
  (func (export "count") (result i32) (global.get $n)))
