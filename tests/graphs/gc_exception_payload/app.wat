;; A GC object whose only reference is inside a caught exception (an
;; exnref in a local) survives collections: the collector finds it in the
;; exception's payload. Then the exception is rethrown, caught again, and
;; the object's field read back.
(module
  (type $box (struct (field i32)))
  (tag $t (param (ref $box)))

  ;; About 100 MiB of boxes that die at once: many collections, and the
  ;; freed cells of the box size reused.
  (func $churn (local $i i32)
    (loop $more
      (drop (struct.new $box (i32.const 7)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $more (i32.lt_u (local.get $i) (i32.const 4000000)))))

  (func (export "run") (result i32)
    (local $e exnref)
    (block $caught (result (ref $box) exnref)
      (try_table (catch_ref $t $caught)
        (throw $t (struct.new $box (i32.const 42))))
      (unreachable))
    (local.set $e)
    (drop)
    (call $churn)
    (block $again (result (ref $box))
      (try_table (catch $t $again)
        (throw_ref (local.get $e)))
      (unreachable))
    (struct.get $box 0)))
