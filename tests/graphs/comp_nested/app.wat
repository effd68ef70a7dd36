;; Nested components: $inner closes over its parent's core module (outer
;; alias); $middle imports a component and instantiates it twice (two
;; counters); the outer component re-exports one instance's function,
;; which has a post-return function. The post-return function traps when
;; the result it is given is 1013, so `add 6 7` shows it runs, after the
;; result is computed.
(component $root
  (core module $counter
    (global $n (mut i32) (i32.const 0))
    (func (export "next") (result i32)
      global.get $n i32.const 1 i32.add global.set $n global.get $n))
  (component $inner
    (alias outer $root $counter (core module $c))
    (core instance $c1 (instantiate $c))
    (core module $m
      (import "c" "next" (func $next (result i32)))
      (func (export "add") (param i32 i32) (result i32)
        local.get 0 local.get 1 i32.add call $next i32.const 1000 i32.mul i32.add)
      (func $after (export "after") (param i32)
        local.get 0 i32.const 1013 i32.eq if unreachable end))
    (core instance $i (instantiate $m (with "c" (instance $c1))))
    (func (export "add") (param "a" s32) (param "b" s32) (result s32)
      (canon lift (core func $i "add") (post-return (core func $i "after")))))
  (component $middle
    (import "inner" (component $ic
      (export "add" (func (param "a" s32) (param "b" s32) (result s32)))))
    (instance $x (instantiate $ic))
    (instance $y (instantiate $ic))
    (export "add-x" (func $x "add"))
    (export "add-y" (func $y "add")))
  (instance $mid (instantiate $middle (with "inner" (component $inner))))
  (export "add" (func $mid "add-y")))
