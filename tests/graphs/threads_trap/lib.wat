;; A library instance the threads share. Its vmctx points at the main
;; thread's stack limit, so when it recurses on a spawned thread's stack
;; the overflow is caught by the guard below that stack.
(module
  (func $recurse (export "recurse") (param $n i32) (result i32)
    (i32.add (call $recurse (i32.add (local.get $n) (i32.const 1))) (i32.const 1))))
