;; alloc: a size-class allocator for the memory it exports, shared by the
;; two clients of alloc.json. Sizes are rounded up to 8 bytes; classes 1..32
;; (8..256 bytes) each keep a free list whose head is at 4 * class and whose
;; links are stored in the free blocks themselves. A block is preceded by an
;; 8-byte header holding its class; fresh blocks come from a bump pointer
;; that grows the memory when it runs out.
(module
  (memory (export "memory") 1)
  (global $top (mut i32) (i32.const 1024))

  (func (export "alloc") (param $size i32) (result i32)
    (local $class i32) (local $p i32) (local $end i32)
    (local.set $class (i32.shr_u (i32.add (local.get $size) (i32.const 7)) (i32.const 3)))
    (if (i32.or (i32.eqz (local.get $class)) (i32.gt_u (local.get $class) (i32.const 32)))
      (then unreachable))
    (local.set $p (i32.load (i32.shl (local.get $class) (i32.const 2))))
    (if (local.get $p)
      (then
        (i32.store (i32.shl (local.get $class) (i32.const 2)) (i32.load (local.get $p)))
        (return (local.get $p))))
    (local.set $p (i32.add (global.get $top) (i32.const 8)))
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $class) (i32.const 3))))
    (if (i32.gt_u (local.get $end) (i32.shl (memory.size) (i32.const 16)))
      (then
        (if (i32.lt_s (memory.grow (i32.const 1)) (i32.const 0))
          (then unreachable))))
    (i32.store (global.get $top) (local.get $class))
    (global.set $top (local.get $end))
    (local.get $p))

  (func (export "free") (param $p i32)
    (local $head i32)
    (local.set $head (i32.shl (i32.load (i32.sub (local.get $p) (i32.const 8))) (i32.const 2)))
    (i32.store (local.get $p) (i32.load (local.get $head)))
    (i32.store (local.get $head) (local.get $p))))
