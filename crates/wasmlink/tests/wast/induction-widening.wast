;; Address induction variables kept in 64 bits
;; (tests/disas/memory-induction.wat): a loop pointer `p += step` is
;; widened only where an access at `p` proves the add cannot wrap. Each
;; function below has a loop whose 32-bit pointer does wrap past 2^32
;; where no such access comes first, so a wrong widening would read
;; 2^32 + x (a trap) instead of x, or would not trap where Wasm does.
(module
  (memory 1)
  (data (i32.const 0) "\01\00\00\00\02\00\00\00\03\00\00\00\04\00\00\00")
  (data (i32.const 16) "\05\00\00\00\06\00\00\00\07\00\00\00\08\00\00\00")

  ;; The widened case: sum n words from p, reading p and p + 4 each time.
  (func (export "sum_pairs") (param $p i32) (param $n i32) (result i32)
    (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s)
        (i32.add (i32.load (local.get $p)) (i32.load offset=0 (i32.add (local.get $p) (i32.const 4))))))
      (local.set $p (i32.add (local.get $p) (i32.const 8)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $s))

  ;; Stores at p and p + 4 as well: copy n pairs of words from p to q, then
  ;; read back the last word copied.
  (func (export "copy_pairs") (param $p i32) (param $q i32) (param $n i32) (result i32)
    (loop $l
      (i32.store (local.get $q) (i32.load (local.get $p)))
      (i32.store (i32.add (local.get $q) (i32.const 4))
        (i32.load (i32.add (local.get $p) (i32.const 4))))
      (local.set $p (i32.add (local.get $p) (i32.const 8)))
      (local.set $q (i32.add (local.get $q) (i32.const 8)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (i32.load (i32.sub (local.get $q) (i32.const 4))))

  ;; Two pointers with the same step and only addresses as uses: with the
  ;; memory at the fixed address the second is carried as the first plus
  ;; their difference (negative when q < p).
  (func (export "copy_words") (param $p i32) (param $q i32) (param $n i32)
    (loop $l
      (i32.store (local.get $q) (i32.load (local.get $p)))
      (i32.store offset=4 (local.get $q) (i32.load offset=4 (local.get $p)))
      (local.set $p (i32.add (local.get $p) (i32.const 8)))
      (local.set $q (i32.add (local.get $q) (i32.const 8)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))

  ;; The access is conditional: from p = -8 the pointer wraps to 0 on the
  ;; first step without an access at -8, then reads 0 and 8.
  (func (export "wrap_unaccessed") (param $p i32) (param $n i32) (result i32)
    (local $s i32)
    (loop $l
      (if (i32.lt_u (local.get $p) (i32.const 64))
        (then (local.set $s (i32.add (local.get $s) (i32.load (local.get $p))))))
      (local.set $p (i32.add (local.get $p) (i32.const 8)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $s))

  ;; `p + 4` is read before `p`: from p = -4 it is address 0, then the read
  ;; of p itself traps.
  (func (export "ahead_first") (param $p i32) (param $n i32) (result i32)
    (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s) (i32.load (i32.add (local.get $p) (i32.const 4)))))
      (local.set $s (i32.add (local.get $s) (i32.load (local.get $p))))
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $s))

  ;; Only `p + 4` is ever read: from p = -4 the loop reads 0, 4, 8.
  (func (export "ahead_only") (param $p i32) (param $n i32) (result i32)
    (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s) (i32.load (i32.add (local.get $p) (i32.const 4)))))
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $s))

  ;; A step larger than a page is never widened: from p = 2^31 + 4 the
  ;; first step, with no access, wraps the pointer to 4, which is read.
  (func (export "big_step") (param $p i32) (param $n i32) (result i32)
    (local $s i32)
    (loop $l
      (if (i32.lt_u (local.get $p) (i32.const 64))
        (then (local.set $s (i32.add (local.get $s) (i32.load (local.get $p))))))
      (local.set $p (i32.add (local.get $p) (i32.const 0x80000000)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $s))

  ;; The pointer also decides the loop's exit: it stays live next to its
  ;; 64-bit copy, and both must agree.
  (func (export "until_end") (param $p i32) (param $end i32) (result i32)
    (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s)
        (i32.add (i32.load (local.get $p)) (i32.load (i32.add (local.get $p) (i32.const 4))))))
      (local.set $p (i32.add (local.get $p) (i32.const 8)))
      (br_if $l (i32.ne (local.get $p) (local.get $end))))
    (local.get $s))

  ;; Negative offsets: a read of p - 4 proves p >= 4, not p >= 8, so from
  ;; p = 4 the read of p - 8 wraps to 2^32 - 4 and traps; it must not
  ;; read 4 bytes before the memory.
  (func (export "below") (param $p i32) (param $n i32) (result i32)
    (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s) (i32.load (local.get $p))))
      (local.set $s (i32.add (local.get $s) (i32.load (i32.add (local.get $p) (i32.const -4)))))
      (local.set $s (i32.add (local.get $s) (i32.load (i32.add (local.get $p) (i32.const -8)))))
      (local.set $p (i32.add (local.get $p) (i32.const 8)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $s))

  ;; A 32-bit memory never grows to 4 GiB (the implementation limit that
  ;; makes the widening exact): the last page is refused.
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))

(assert_return (invoke "sum_pairs" (i32.const 0) (i32.const 4)) (i32.const 36))
(assert_return (invoke "copy_pairs" (i32.const 0) (i32.const 256) (i32.const 4)) (i32.const 8))
(assert_return (invoke "sum_pairs" (i32.const 256) (i32.const 4)) (i32.const 36))
(assert_trap (invoke "copy_pairs" (i32.const 0) (i32.const 65528) (i32.const 2)) "out of bounds memory access")
(assert_return (invoke "copy_words" (i32.const 0) (i32.const 512) (i32.const 4)))
(assert_return (invoke "sum_pairs" (i32.const 512) (i32.const 4)) (i32.const 36))
(assert_return (invoke "copy_words" (i32.const 512) (i32.const 1024) (i32.const 4)))
(assert_return (invoke "copy_words" (i32.const 1024) (i32.const 128) (i32.const 4)))
(assert_return (invoke "sum_pairs" (i32.const 128) (i32.const 4)) (i32.const 36))
(assert_trap (invoke "copy_words" (i32.const 0) (i32.const 65528) (i32.const 2)) "out of bounds memory access")
(assert_return (invoke "wrap_unaccessed" (i32.const -8) (i32.const 3)) (i32.const 4))
(assert_trap (invoke "ahead_first" (i32.const -4) (i32.const 2)) "out of bounds memory access")
(assert_return (invoke "ahead_first" (i32.const 0) (i32.const 3)) (i32.const 15))
(assert_return (invoke "ahead_only" (i32.const -4) (i32.const 3)) (i32.const 6))
(assert_return (invoke "big_step" (i32.const 0x80000004) (i32.const 2)) (i32.const 2))
(assert_return (invoke "until_end" (i32.const 0) (i32.const 32)) (i32.const 36))
(assert_trap (invoke "until_end" (i32.const 65528) (i32.const 8)) "out of bounds memory access")
(assert_return (invoke "below" (i32.const 16) (i32.const 2)) (i32.const 30))
(assert_trap (invoke "below" (i32.const 4) (i32.const 1)) "out of bounds memory access")
(assert_trap (invoke "below" (i32.const 0) (i32.const 1)) "out of bounds memory access")
(assert_return (invoke "grow" (i32.const 65535)) (i32.const -1))
