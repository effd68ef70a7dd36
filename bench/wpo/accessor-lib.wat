;; lib: owns an array of 1024 i32 in its memory; `get(i)` reads element
;; i mod 1024: a typical accessor, smaller than a call.
(module
  (memory 1)
  (func (export "get") (param $i i32) (result i32)
    (i32.load (i32.shl (i32.and (local.get $i) (i32.const 1023)) (i32.const 2)))))
