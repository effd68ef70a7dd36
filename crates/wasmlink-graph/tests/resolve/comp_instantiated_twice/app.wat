(component
  (core module $lib
    (memory (export "memory") 1)
    (global $count (mut i32) (i32.const 0))
    (func (export "bump") (result i32)
      global.get $count i32.const 1 i32.add global.set $count global.get $count)
    (func (export "double") (param i32) (result i32) local.get 0 i32.const 2 i32.mul))
  (core instance $a (instantiate $lib))
  (core instance $b (instantiate $lib))
  (core module $main
    (import "a" "double" (func $da (param i32) (result i32)))
    (import "a" "bump" (func $ba (result i32)))
    (import "b" "bump" (func $bb (result i32)))
    (func (export "calc") (param i32) (result i32)
      call $ba drop call $ba drop call $bb drop
      local.get 0 call $da call $ba i32.add call $bb i32.add))
  (core instance $m (instantiate $main (with "a" (instance $a)) (with "b" (instance $b))))
  (func $calc (param "x" s32) (result s32) (canon lift (core func $m "calc")))
  (export "calc" (func $calc))
)
