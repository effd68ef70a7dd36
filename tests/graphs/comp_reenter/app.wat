;; The entry component calls `lib`'s `go`, which calls back into this
;; component's `cb` while it is still running: the component model forbids
;; entering an instance that is on the stack.
(component
  (import "test:loop/lib" (instance $lib
    (export "go" (func (param "n" s32) (result s32)))))
  (alias export $lib "go" (func $go))
  (core func $go_lowered (canon lower (func $go)))
  (core module $m
    (import "lib" "go" (func $go (param i32) (result i32)))
    (func (export "run") (result i32) i32.const 7 call $go)
    (func (export "cb") (param i32) (result i32) local.get 0 i32.const 1 i32.add))
  (core instance $i (instantiate $m (with "lib" (instance (export "go" (func $go_lowered))))))
  (func $cb (param "n" s32) (result s32) (canon lift (core func $i "cb")))
  (instance $app (export "cb" (func $cb)))
  (export "test:loop/app" (instance $app))
  (func (export "run") (result s32) (canon lift (core func $i "run"))))
