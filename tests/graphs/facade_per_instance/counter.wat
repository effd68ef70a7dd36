;; counter: state per instance.
(module
  (global $n (mut i32) (i32.const 0))
  (func (export "add") (param i32) (result i32)
    (global.set $n (i32.add (global.get $n) (local.get 0)))
    (global.get $n)))
