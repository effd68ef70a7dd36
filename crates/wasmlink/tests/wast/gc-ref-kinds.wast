;; `ref.struct` and `ref.array` in `assert_return` check the kind of the
;; object a result refers to: the harness's invoke trampoline records it
;; next to the reference (codegen `harness::record_object_kinds`), and a
;; struct where an array is expected fails the assertion (unit test
;; `wast::value::tests::refs`).
(module
  (type $s (struct (field i32)))
  (type $a (array i8))
  (func (export "struct") (result anyref) (struct.new $s (i32.const 1)))
  (func (export "array") (result anyref) (array.new_default $a (i32.const 3)))
  (func (export "exact") (result (ref $s)) (struct.new $s (i32.const 1)))
  (func (export "both") (result structref eqref arrayref)
    (struct.new $s (i32.const 1)) (ref.i31 (i32.const 7)) (array.new_default $a (i32.const 0)))
  (func (export "either") (param i32) (result anyref)
    (if (result anyref) (local.get 0)
      (then (struct.new $s (i32.const 1)))
      (else (array.new_default $a (i32.const 1)))))
  (func (export "outside") (result externref)
    (extern.convert_any (array.new_default $a (i32.const 2)))))

(assert_return (invoke "struct") (ref.struct))
(assert_return (invoke "array") (ref.array))
(assert_return (invoke "exact") (ref.struct))
(assert_return (invoke "both") (ref.struct) (ref.i31) (ref.array))
(assert_return (invoke "either" (i32.const 1)) (ref.struct))
(assert_return (invoke "either" (i32.const 0)) (ref.array))
(assert_return (invoke "outside") (ref.extern))
