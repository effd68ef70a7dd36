;; Small functions the static link inlines into main, each able to trap.
(module
  (memory (export "memory") 1)
  (func $div (export "div") (param i32 i32) (result i32)
    (i32.div_u (local.get 0) (local.get 1)))
  (func $load (export "load") (param i32) (result i32)
    (i32.load (local.get 0)))
  (func $inner (param i32) (result i32)
    (if (i32.eqz (local.get 0)) (then unreachable))
    (i32.add (local.get 0) (i32.const 1)))
  (func (export "outer") (param i32) (result i32)
    (i32.mul (call $inner (local.get 0)) (i32.const 3))))
