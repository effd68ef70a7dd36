;; A library: main binds `square` only; `cube` and `helper` are dead.
(module
  (func $helper (param i32) (result i32)
    (i32.mul (local.get 0) (local.get 0)))
  (func (export "square") (param i32) (result i32)
    (i32.mul (local.get 0) (local.get 0)))
  (func (export "cube") (param i32) (result i32)
    (i32.mul (call $helper (local.get 0)) (local.get 0))))
