;; Legacy encoding: a `try ... catch $e` clause holds the exception while
;; it runs (for `rethrow`) and frees it when it ends: `run N` catches N
;; exceptions in bounded memory.
(module
  (tag $e (param i32))
  (func $thrower (param i32)
    (throw $e (local.get 0)))
  (func (export "run") (param $n i32) (result i32)
    (local $s i32)
    (loop $l
      try
        (call $thrower (i32.const 1))
      catch $e
        (local.set $s (i32.add (local.get $s)))
      end
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $s)))
