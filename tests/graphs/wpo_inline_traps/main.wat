;; run(which, x): calls one small function of another instance (lib); the
;; static link inlines each into `run`, and a trap in inlined code must
;; still name the function that trapped, not `run`.
(module
  (import "lib" "div" (func $div (param i32 i32) (result i32)))
  (import "lib" "load" (func $load (param i32) (result i32)))
  (import "lib" "outer" (func $outer (param i32) (result i32)))
  (func (export "run") (param $which i32) (param $x i32) (result i32)
    (if (result i32) (i32.eq (local.get $which) (i32.const 0))
      (then (call $div (i32.const 100) (local.get $x)))
      (else (if (result i32) (i32.eq (local.get $which) (i32.const 1))
        (then (call $load (local.get $x)))
        (else (call $outer (local.get $x))))))))
