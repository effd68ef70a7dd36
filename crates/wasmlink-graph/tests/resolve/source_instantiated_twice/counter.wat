(module
  (global $n (export "n") (mut i32) (i32.const 0))
  (memory (export "memory") 1)
  (func (export "bump") global.get $n i32.const 1 i32.add global.set $n))
