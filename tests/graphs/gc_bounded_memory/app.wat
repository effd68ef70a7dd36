;; Short-lived garbage in bulk: each round builds a list of 1 000 cells
;; (32 bytes each), sums it and drops it. 312 500 rounds allocate 10 GB;
;; the program never has more than one list alive.
(module
  (type $cell (struct (field $value i64) (field $next (ref null $cell))))

  (func (export "run") (param $rounds i32) (result i64)
    (local $round i32)
    (local $i i32)
    (local $head (ref null $cell))
    (local $sum i64)
    (block $done
      (loop $rounds
        (br_if $done (i32.ge_u (local.get $round) (local.get $rounds)))
        (local.set $head (ref.null $cell))
        (local.set $i (i32.const 0))
        (loop $build
          (local.set $head
            (struct.new $cell (i64.extend_i32_u (local.get $i)) (local.get $head)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $build (i32.lt_u (local.get $i) (i32.const 1000))))
        (block $walked
          (loop $walk
            (br_if $walked (ref.is_null (local.get $head)))
            (local.set $sum
              (i64.add (local.get $sum) (struct.get $cell $value (local.get $head))))
            (local.set $head (struct.get $cell $next (local.get $head)))
            (br $walk)))
        (local.set $round (i32.add (local.get $round) (i32.const 1)))
        (br $rounds)))
    (local.get $sum)))
