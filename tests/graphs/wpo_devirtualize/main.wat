;; main (app.json): needs fixup first (its `ready`), then calls lib.
(module
  (import "lib" "call0" (func $call0 (param i32) (result i32)))
  (import "fixup" "ready" (func $fixup (result i32)))
  (func (export "run") (param i32) (result i32)
    (i32.add (call $fixup) (call $call0 (local.get 0)))))
