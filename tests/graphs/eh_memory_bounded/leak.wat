;; Exceptions that pass a C++-style cleanup frame (`try_table
;; (catch_all_ref) ... throw_ref`, how clang compiles destructors) and are
;; then caught by a plain `catch` are freed: the cleanup frame held the
;; exception while it could see it, and the unwinder let go of it when it
;; left that frame. `run N` throws N of them; the case runs it with a small
;; data limit, which an exception kept per throw (~48 bytes) would exceed.
(module
  (tag $e (param i32))
  (func $thrower (param i32)
    (throw $e (local.get 0)))
  (func $cleanup (param i32)
    (block $h (result exnref)
      (try_table (catch_all_ref $h)
        (call $thrower (local.get 0)))
      (return))
    ;; (a destructor would run here)
    throw_ref)
  (func (export "run") (param $n i32) (result i32)
    (local $s i32)
    (loop $l
      (block $c (result i32)
        (try_table (catch $e $c)
          (call $cleanup (i32.const 1)))
        (unreachable))
      (local.set $s (i32.add (local.get $s)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $s)))
