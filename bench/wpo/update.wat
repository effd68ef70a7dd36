;; update: run(n) updates lib's array in place through its accessor and
;; mutator, `set(i, get(i) * 3 + i)` for i < n, and returns get(n - 1):
;; two calls into another instance per element, each cheaper than the
;; call itself (the shape of code that keeps its data behind a module's
;; interface).
(module
  (import "lib" "get" (func $get (param i32) (result i32)))
  (import "lib" "set" (func $set (param i32 i32)))
  (func (export "run") (param $n i32) (result i32)
    (local $i i32)
    (block $done
      (br_if $done (i32.eqz (local.get $n)))
      (loop $l
        (call $set (local.get $i)
          (i32.add (i32.mul (call $get (local.get $i)) (i32.const 3)) (local.get $i)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (local.get $n)))))
    (call $get (i32.sub (local.get $n) (i32.const 1)))))
