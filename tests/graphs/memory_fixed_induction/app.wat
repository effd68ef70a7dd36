;; The loops of crates/wasmlink/tests/wast/induction-widening.wast in a
;; program whose memory is at the fixed address (static build,
;; fixed-state), where address induction variables carry native pointers:
;; each result is checked, and the exit status names the first wrong one
;; (0: all right). The spec harness keeps memories movable, so this is
;; where the pointer form runs.
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory 1)
  (data (i32.const 0) "\01\00\00\00\02\00\00\00\03\00\00\00\04\00\00\00")
  (data (i32.const 16) "\05\00\00\00\06\00\00\00\07\00\00\00\08\00\00\00")

  ;; The widened case: sum n words from p, reading p and p + 4 each time.
  (func $sum_pairs (param $p i32) (param $n i32) (result i32)
    (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s)
        (i32.add (i32.load (local.get $p)) (i32.load offset=0 (i32.add (local.get $p) (i32.const 4))))))
      (local.set $p (i32.add (local.get $p) (i32.const 8)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $s))

  ;; Stores at p and p + 4 as well: copy n pairs of words from p to q, then
  ;; read back the last word copied.
  (func $copy_pairs (param $p i32) (param $q i32) (param $n i32) (result i32)
    (loop $l
      (i32.store (local.get $q) (i32.load (local.get $p)))
      (i32.store (i32.add (local.get $q) (i32.const 4))
        (i32.load (i32.add (local.get $p) (i32.const 4))))
      (local.set $p (i32.add (local.get $p) (i32.const 8)))
      (local.set $q (i32.add (local.get $q) (i32.const 8)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (i32.load (i32.sub (local.get $q) (i32.const 4))))

  ;; The access is conditional: from p = -8 the pointer wraps to 0 on the
  ;; first step without an access at -8, then reads 0 and 8.
  (func $wrap_unaccessed (param $p i32) (param $n i32) (result i32)
    (local $s i32)
    (loop $l
      (if (i32.lt_u (local.get $p) (i32.const 64))
        (then (local.set $s (i32.add (local.get $s) (i32.load (local.get $p))))))
      (local.set $p (i32.add (local.get $p) (i32.const 8)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $s))

  ;; `p + 4` is read before `p`: from p = -4 it is address 0, then the read
  ;; of p itself traps.
  (func $ahead_first (param $p i32) (param $n i32) (result i32)
    (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s) (i32.load (i32.add (local.get $p) (i32.const 4)))))
      (local.set $s (i32.add (local.get $s) (i32.load (local.get $p))))
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $s))

  ;; Only `p + 4` is ever read: from p = -4 the loop reads 0, 4, 8.
  (func $ahead_only (param $p i32) (param $n i32) (result i32)
    (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s) (i32.load (i32.add (local.get $p) (i32.const 4)))))
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $s))

  ;; A step larger than a page is never widened: from p = 2^31 + 4 the
  ;; first step, with no access, wraps the pointer to 4, which is read.
  (func $big_step (param $p i32) (param $n i32) (result i32)
    (local $s i32)
    (loop $l
      (if (i32.lt_u (local.get $p) (i32.const 64))
        (then (local.set $s (i32.add (local.get $s) (i32.load (local.get $p))))))
      (local.set $p (i32.add (local.get $p) (i32.const 0x80000000)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $s))

  ;; The pointer also decides the loop's exit: it stays live next to its
  ;; 64-bit copy, and both must agree.
  (func $until_end (param $p i32) (param $end i32) (result i32)
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
  (func $below (param $p i32) (param $n i32) (result i32)
    (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s) (i32.load (local.get $p))))
      (local.set $s (i32.add (local.get $s) (i32.load (i32.add (local.get $p) (i32.const -4)))))
      (local.set $s (i32.add (local.get $s) (i32.load (i32.add (local.get $p) (i32.const -8)))))
      (local.set $p (i32.add (local.get $p) (i32.const 8)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $s))

  (func (export "_start")
    (if (i32.ne (call $sum_pairs (i32.const 0) (i32.const 4)) (i32.const 36)) (then (call $exit (i32.const 1))))
    (if (i32.ne (call $copy_pairs (i32.const 0) (i32.const 256) (i32.const 4)) (i32.const 8)) (then (call $exit (i32.const 2))))
    (if (i32.ne (call $sum_pairs (i32.const 256) (i32.const 4)) (i32.const 36)) (then (call $exit (i32.const 3))))
    (if (i32.ne (call $wrap_unaccessed (i32.const -8) (i32.const 3)) (i32.const 4)) (then (call $exit (i32.const 4))))
    (if (i32.ne (call $ahead_first (i32.const 0) (i32.const 3)) (i32.const 15)) (then (call $exit (i32.const 5))))
    (if (i32.ne (call $ahead_only (i32.const -4) (i32.const 3)) (i32.const 6)) (then (call $exit (i32.const 6))))
    (if (i32.ne (call $big_step (i32.const 2147483652) (i32.const 2)) (i32.const 2)) (then (call $exit (i32.const 7))))
    (if (i32.ne (call $until_end (i32.const 0) (i32.const 32)) (i32.const 36)) (then (call $exit (i32.const 8))))
    (if (i32.ne (call $below (i32.const 16) (i32.const 2)) (i32.const 30)) (then (call $exit (i32.const 9))))
    (call $exit (i32.const 0))))
