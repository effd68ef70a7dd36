;; A pointer stepped past the end of the memory: the read at 64 KiB traps.
(module
  (memory 1)
  (func $until_end (param $p i32) (param $end i32) (result i32)
    (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s)
        (i32.add (i32.load (local.get $p)) (i32.load (i32.add (local.get $p) (i32.const 4))))))
      (local.set $p (i32.add (local.get $p) (i32.const 8)))
      (br_if $l (i32.ne (local.get $p) (local.get $end))))
    (local.get $s))
  (func (export "_start") (drop (call $until_end (i32.const 65528) (i32.const 8)))))
