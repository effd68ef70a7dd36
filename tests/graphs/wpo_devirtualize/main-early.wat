;; main (early.json): needs early, then fixup, then calls lib.
(module
  (import "lib" "call0" (func $call0 (param i32) (result i32)))
  (import "early" "ready" (func $early (result i32)))
  (import "fixup" "ready" (func $fixup (result i32)))
  (func (export "run") (param i32) (result i32)
    (i32.add (i32.add (call $early) (call $fixup)) (call $call0 (local.get 0)))))
