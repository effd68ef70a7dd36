(component
  (import "wasi:clocks/monotonic-clock@0.2.3" (instance $clock
    (export "now" (func (result u64)))))
  (alias export $clock "now" (func $now))
  (core func $now_lowered (canon lower (func $now)))
  (core module $m
    (import "wasi:clocks/monotonic-clock@0.2.3" "now" (func (result i64)))
    (func (export "run") (result i32) call 0 drop i32.const 0))
  (core instance $i (instantiate $m (with "wasi:clocks/monotonic-clock@0.2.3" (instance (export "now" (func $now_lowered))))))
  (func $run (result (result)) (canon lift (core func $i "run")))
  (instance $cli (export "run" (func $run)))
  (export "wasi:cli/run@0.2.3" (instance $cli)))
