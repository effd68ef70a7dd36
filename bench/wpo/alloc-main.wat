;; alloc-main: run(n) keeps 16 blocks of 8..64 bytes alive in a ring; each
;; iteration frees the oldest, allocates a new one, and hands it to
;; worker.visit, which allocates and frees a block of its own. Both modules
;; allocate from alloc's memory. Returns a checksum of what it read back.
(module
  (import "alloc" "memory" (memory 1))
  (import "alloc" "alloc" (func $alloc (param i32) (result i32)))
  (import "alloc" "free" (func $free (param i32)))
  (import "worker" "visit" (func $visit (param i32) (result i32)))

  (func (export "run") (param $n i32) (result i32)
    (local $i i32) (local $sum i32) (local $ring i32) (local $slot i32)
    (local $old i32) (local $p i32) (local $k i32)
    (local.set $ring (call $alloc (i32.const 64)))
    (loop $clear
      (i32.store (i32.add (local.get $ring) (i32.shl (local.get $k) (i32.const 2))) (i32.const 0))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $clear (i32.lt_u (local.get $k) (i32.const 16))))
    (block $done
      (br_if $done (i32.eqz (local.get $n)))
      (loop $l
        (local.set $slot
          (i32.add (local.get $ring) (i32.shl (i32.and (local.get $i) (i32.const 15)) (i32.const 2))))
        (local.set $old (i32.load (local.get $slot)))
        (if (local.get $old)
          (then
            (local.set $sum (i32.add (local.get $sum) (i32.load (local.get $old))))
            (call $free (local.get $old))))
        (local.set $p
          (call $alloc (i32.add (i32.const 8) (i32.shl (i32.and (local.get $i) (i32.const 7)) (i32.const 3)))))
        (i32.store (local.get $p) (local.get $i))
        (i32.store (local.get $slot) (local.get $p))
        (local.set $sum (i32.add (local.get $sum) (call $visit (local.get $p))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (local.get $n)))))
    (local.set $k (i32.const 0))
    (loop $drain
      (local.set $old (i32.load (i32.add (local.get $ring) (i32.shl (local.get $k) (i32.const 2)))))
      (if (local.get $old) (then (call $free (local.get $old))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $drain (i32.lt_u (local.get $k) (i32.const 16))))
    (call $free (local.get $ring))
    (local.get $sum)))
