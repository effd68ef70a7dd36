;; A nested component defines the code; the outer one re-exports its
;; function, which has a post-return function: the entry is a generated
;; module calling both.
(component
  (component $inner
    (core module $m
      (global $calls (mut i32) (i32.const 0))
      (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
      (func (export "after") (param i32) global.get $calls i32.const 1 i32.add global.set $calls))
    (core instance $i (instantiate $m))
    (func (export "add") (param "a" s32) (param "b" s32) (result s32)
      (canon lift (core func $i "add") (post-return (core func $i "after")))))
  (instance $in (instantiate $inner))
  (export "add" (func $in "add")))
