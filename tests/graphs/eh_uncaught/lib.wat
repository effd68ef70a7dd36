;; lib: defines the tag `oops` (exported under the same name) and `raise`,
;; which throws it; `fail` calls `raise`, so the throw happens one frame
;; below lib's export and two below main.
(module
  (tag $oops (export "oops") (param i32))
  (func $raise (export "raise") (param $v i32)
    (throw $oops (local.get $v)))
  (func $fail (export "fail") (param $v i32)
    (call $raise (local.get $v))
    (nop)))
