;; A container module: an array of 1024 i32 in its memory behind an
;; accessor and a mutator (used by inline-merged-state.wat).
(module
  (memory 1)
  (func (export "get") (param $i i32) (result i32)
    (i32.load (i32.shl (i32.and (local.get $i) (i32.const 1023)) (i32.const 2))))
  (func (export "set") (param $i i32) (param $v i32)
    (i32.store (i32.shl (i32.and (local.get $i) (i32.const 1023)) (i32.const 2))
      (local.get $v))))
