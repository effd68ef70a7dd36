;; `go` calls the importer's `cb` (a call back into the calling component).
(component
  (import "test:loop/app" (instance $app
    (export "cb" (func (param "n" s32) (result s32)))))
  (alias export $app "cb" (func $cb))
  (core func $cb_lowered (canon lower (func $cb)))
  (core module $m
    (import "app" "cb" (func $cb (param i32) (result i32)))
    (func (export "go") (param i32) (result i32) local.get 0 call $cb))
  (core instance $i (instantiate $m (with "app" (instance (export "cb" (func $cb_lowered))))))
  (func $go (param "n" s32) (result s32) (canon lift (core func $i "go")))
  (instance $lib (export "go" (func $go)))
  (export "test:loop/lib" (instance $lib)))
