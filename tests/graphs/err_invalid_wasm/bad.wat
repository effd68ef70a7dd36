;; Well-formed but invalid: the body leaves an f32 where an i32 result is
;; declared (a type error found by validation, not by the parser).
(module
  (func $answer (export "answer") (result i32)
    (f32.const 42))
  (func (export "_start") (drop (call $answer))))
