;; From p = 4, a read of p - 4 proves p >= 4 but not p >= 8: the read of
;; p - 8 wraps to 2^32 - 4 and traps; it must never read below the memory.
(module
  (memory 1)
  (func $below (param $p i32) (param $n i32) (result i32)
    (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s) (i32.load (local.get $p))))
      (local.set $s (i32.add (local.get $s) (i32.load (i32.add (local.get $p) (i32.const -4)))))
      (local.set $s (i32.add (local.get $s) (i32.load (i32.add (local.get $p) (i32.const -8)))))
      (local.set $p (i32.add (local.get $p) (i32.const 8)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $s))
  (func (export "_start") (drop (call $below (i32.const 4) (i32.const 1)))))
