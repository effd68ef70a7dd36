;; An entry's parameters come from the command line, so they must be
;; numbers: a v128 (or a reference) cannot be typed there.
(module (func (export "splat") (param v128 i32) (result v128) (local.get 0)))
