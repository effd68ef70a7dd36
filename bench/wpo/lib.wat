;; lib: the callee of the call-heavy graphs. `step` is one step of a linear
;; congruential generator, small enough that the call is most of its cost;
;; the table holds it for the graph that calls it through call_indirect.
(module
  (type $step_t (func (param i32) (result i32)))
  (table (export "table") 1 funcref)
  (elem (i32.const 0) $step)
  (func $step (export "step") (type $step_t)
    (i32.add (i32.mul (local.get 0) (i32.const 1664525)) (i32.const 1013904223))))
