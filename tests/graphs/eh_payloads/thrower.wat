;; thrower: instantiated twice by the manifest (instances `a` and `b`).
;; Each instance has its own tag `t`: a's and b's are two different tags
;; although they come from the same source, so a handler for one must not
;; catch the other.
(module
  (tag $t (export "t") (param i32))
  (func $throw_t (export "throw_t") (param $v i32)
    (throw $t (local.get $v))))
