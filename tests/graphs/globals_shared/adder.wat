;; adder: imports state's mutable counter and adds to it; its own global is
;; initialised from the imported immutable base (so state comes first).
(module
  (import "state" "counter" (global $counter (mut i32)))
  (import "state" "base" (global $base i32))
  (global $step i32 (global.get $base))
  (func (export "add_step") (global.set $counter (i32.add (global.get $counter) (global.get $step))))
  (func (export "step") (result i32) (global.get $step)))
