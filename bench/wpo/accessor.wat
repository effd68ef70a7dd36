;; accessor: run(n) sums lib.get(i) for i < n: a getter of another
;; instance's memory, cheaper than the call that reaches it (the shape of
;; a library's accessors). The call crosses an instance boundary.
(module
  (import "lib" "get" (func $get (param i32) (result i32)))
  (func (export "run") (param $n i32) (result i32)
    (local $i i32) (local $sum i32)
    (block $done
      (br_if $done (i32.eqz (local.get $n)))
      (loop $l
        (local.set $sum (i32.add (local.get $sum) (call $get (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (local.get $n)))))
    (local.get $sum)))
