;; Exports the function the app imports under another name, with a
;; same-named decoy of another type: the map picks "answer".
(component
  (core module $m
    (func (export "get") (result i64) i64.const 1)
    (func (export "answer") (result i32) i32.const 42))
  (core instance $i (instantiate $m))
  (func (export "get") (result s64) (canon lift (core func $i "get")))
  (func (export "answer") (result s32) (canon lift (core func $i "answer"))))
