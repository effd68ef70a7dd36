;; `wasmlink run --invoke NAME`: the export NAME of the entry instance is
;; called with the arguments that follow the input, and its results are
;; printed as wasmtime prints them.
(module
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "half") (param f64) (result f64) (f64.mul (local.get 0) (f64.const 0.5)))
  (func (export "refs") (result funcref externref) (ref.func 0) (ref.null extern))
  (func (export "vec") (result v128) (v128.const i32x4 1 2 3 -1))
  (func (export "nothing"))
  (func (export "splat") (param v128) (result v128) (local.get 0))
  (elem declare func 0))
