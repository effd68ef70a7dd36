;; Imports `is_evn` from a module that exports `is_even`: the error
;; suggests the right name.
(module
  (import "./lib.wat" "is_evn" (func $is_even (param i32) (result i32)))
  (func (export "_start") (drop (call $is_even (i32.const 4)))))
