;; Binary trees (the Benchmarks Game program) on Wasm GC structs: one
;; long-lived tree of depth N, and for each depth d = 4, 6, .., N,
;; 2^(N - d + 4) short-lived trees of depth d, each built and checked
;; (its nodes counted). Returns the total node count. Depth 20 allocates
;; about 10 GB of 32-byte objects while keeping 32 MiB alive.
(module
  (type $node (struct (field $left (ref null $node)) (field $right (ref null $node))))

  (func $make (param $d i32) (result (ref $node))
    (if (result (ref $node)) (i32.eqz (local.get $d))
      (then (struct.new $node (ref.null $node) (ref.null $node)))
      (else
        ;; The left subtree is live in this frame while the right one is
        ;; built (and collections may run): a stack-map slot keeps it.
        (struct.new $node
          (call $make (i32.sub (local.get $d) (i32.const 1)))
          (call $make (i32.sub (local.get $d) (i32.const 1)))))))

  (func $check (param $n (ref $node)) (result i64)
    (local $l (ref null $node))
    (local.set $l (struct.get $node $left (local.get $n)))
    (if (result i64) (ref.is_null (local.get $l))
      (then (i64.const 1))
      (else
        (i64.add (i64.const 1)
          (i64.add
            (call $check (ref.as_non_null (local.get $l)))
            (call $check (ref.as_non_null (struct.get $node $right (local.get $n)))))))))

  (func (export "run") (param $max i32) (result i64)
    (local $long (ref null $node))
    (local $total i64)
    (local $d i32)
    (local $i i32)
    (local $iters i32)
    (local.set $long (call $make (local.get $max)))
    (local.set $d (i32.const 4))
    (block $done
      (loop $depths
        (br_if $done (i32.gt_s (local.get $d) (local.get $max)))
        (local.set $iters
          (i32.shl (i32.const 1)
            (i32.add (i32.sub (local.get $max) (local.get $d)) (i32.const 4))))
        (local.set $i (i32.const 0))
        (block $trees_done
          (loop $trees
            (br_if $trees_done (i32.ge_u (local.get $i) (local.get $iters)))
            (local.set $total
              (i64.add (local.get $total) (call $check (call $make (local.get $d)))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $trees)))
        (local.set $d (i32.add (local.get $d) (i32.const 2)))
        (br $depths)))
    (i64.add (local.get $total) (call $check (ref.as_non_null (local.get $long))))))
