;; state: defines the globals others import.
;;   counter  mutable, shared: a write by anyone is seen by everyone
;;   base     immutable, used by others in their own global initialisers
(module
  (global (export "counter") (mut i32) (i32.const 100))
  (global (export "base") i32 (i32.const 5))
  (global (export "wide") (mut i64) (i64.const 0x100000000))
  (func (export "bump") (global.set 0 (i32.add (global.get 0) (i32.const 1)))))
