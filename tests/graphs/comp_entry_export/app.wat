;; A component whose core module is instantiated twice (separate state),
;; wired through a synthesized instance and aliases, exporting a lifted
;; function used as the entry: its parameter comes from the command line,
;; its result is printed.
(component
  (core module $lib
    (memory (export "memory") 1)
    (global $count (mut i32) (i32.const 0))
    (func (export "bump") (result i32)
      global.get $count i32.const 1 i32.add global.set $count global.get $count)
    (func (export "double") (param i32) (result i32) local.get 0 i32.const 2 i32.mul))
  (core instance $a (instantiate $lib))
  (core instance $b (instantiate $lib))
  (alias core export $b "bump" (core func $bump_b))
  (alias core export $a "memory" (core memory $mem_a))
  (core instance $picked
    (export "bump" (func $bump_b))
    (export "memory" (memory $mem_a)))
  (core module $main
    (import "a" "double" (func $da (param i32) (result i32)))
    (import "a" "bump" (func $ba (result i32)))
    (import "b" "bump" (func $bb (result i32)))
    (import "b" "memory" (memory 1))
    ;; a: bumped 3 times (ends at 3); b: 2 times (ends at 2).
    (func (export "calc") (param i32) (result i32)
      i32.const 0 local.get 0 i32.store
      call $ba drop call $ba drop call $bb drop
      i32.const 0 i32.load call $da call $ba i32.add call $bb i32.add))
  (core instance $m (instantiate $main (with "a" (instance $a)) (with "b" (instance $picked))))
  (func $calc (param "x" s32) (result s32) (canon lift (core func $m "calc")))
  (export "calc" (func $calc)))
