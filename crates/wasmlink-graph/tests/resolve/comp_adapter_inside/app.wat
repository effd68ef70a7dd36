;; A nested component imports a function its parent lifts: the call from
;; the nested component's core code into the parent's needs an adapter.
(component
  (core module $lib (func (export "double") (param i32) (result i32) local.get 0 i32.const 2 i32.mul))
  (core instance $lib (instantiate $lib))
  (func $double (param "x" s32) (result s32) (canon lift (core func $lib "double")))
  (component $inner
    (import "f" (func $f (param "x" s32) (result s32)))
    (core func $fl (canon lower (func $f)))
    (core module $wrap
      (import "" "f" (func $f (param i32) (result i32)))
      (func (export "g") (param i32) (result i32) local.get 0 call $f i32.const 1 i32.add))
    (core instance $w (instantiate $wrap (with "" (instance (export "f" (func $fl))))))
    (func (export "g") (param "x" s32) (result s32) (canon lift (core func $w "g"))))
  (instance $i (instantiate $inner (with "f" (func $double))))
  (export "g" (func $i "g")))
