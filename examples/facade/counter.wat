;; counter: a module with state. Every instance has its own global and its
;; own memory; the code is compiled once and shared.
(module
  (memory 1)
  (global $count (mut i32) (i32.const 0))
  ;; The memory keeps a history: calls made so far, at address 0.
  (func (export "inc") (param $by i32) (result i32)
    (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 1)))
    (global.set $count (i32.add (global.get $count) (local.get $by)))
    (global.get $count))
  (func (export "get") (result i32) (global.get $count))
  (func (export "calls") (result i32) (i32.load (i32.const 0))))
