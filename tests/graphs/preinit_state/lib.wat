;; A library instance with state of its own: its start function runs once,
;; at build time when the program is pre-initialised, and `triple` depends
;; on what it left behind.
(module
  (global (export "base") i32 (i32.const 4000))
  (memory 1)
  (global $calls (mut i32) (i32.const 0))
  (data (i32.const 0) "lib data")
  (func $start
    (global.set $calls (i32.add (global.get $calls) (i32.const 5))))
  (start $start)
  (func (export "triple") (param i32) (result i32)
    (i32.mul (local.get 0) (i32.sub (global.get $calls) (i32.const 2)))))
