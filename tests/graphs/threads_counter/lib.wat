;; A library instance the threads share: its code runs on every thread's
;; stack with its one static vmctx.
(module
  (import "env" "memory" (memory 1 1 shared))
  (func (export "bump") (param $addr i32) (param $n i32)
    (drop (i32.atomic.rmw.add (local.get $addr) (local.get $n)))))
