;; alloc-worker: visit(p) copies what p holds into a 16-byte block of its
;; own from the shared allocator, reads it back and frees it.
(module
  (import "alloc" "memory" (memory 1))
  (import "alloc" "alloc" (func $alloc (param i32) (result i32)))
  (import "alloc" "free" (func $free (param i32)))

  (func (export "visit") (param $p i32) (result i32)
    (local $q i32) (local $r i32)
    (local.set $q (call $alloc (i32.const 16)))
    (i32.store (local.get $q) (i32.mul (i32.load (local.get $p)) (i32.const 3)))
    (i32.store offset=4 (local.get $q) (i32.add (i32.load (local.get $p)) (i32.const 1)))
    (local.set $r (i32.add (i32.load (local.get $q)) (i32.load offset=4 (local.get $q))))
    (call $free (local.get $q))
    (local.get $r)))
