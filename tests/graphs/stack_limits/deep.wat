;; Deep but finite recursion is not a stack overflow: sum(n) = n + sum(n-1)
;; to a depth of 100 000 calls (the wasmtime CLI needs a larger stack than
;; its 512 KiB default for this; see `reference`).
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 100) "sum(100000) / 10^9 = \00")
  (data (i32.const 130) "sum(100000) % 10^9 = \00")
  ;; ---- printing helpers: scratch memory 0..64 ----
  (func $print (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  ;; n in decimal, then a newline
  (func $print_i32 (param $n i32)
    (local $p i32) (local $neg i32) (local $u i32)
    (local.set $p (i32.const 47))
    (i32.store8 (local.get $p) (i32.const 10))
    (local.set $neg (i32.lt_s (local.get $n) (i32.const 0)))
    (local.set $u (select (i32.sub (i32.const 0) (local.get $n)) (local.get $n) (local.get $neg)))
    (loop $digits
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p)
        (i32.add (i32.const 48) (i32.rem_u (local.get $u) (i32.const 10))))
      (local.set $u (i32.div_u (local.get $u) (i32.const 10)))
      (br_if $digits (local.get $u)))
    (if (local.get $neg) (then
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p) (i32.const 45))))
    (call $print (local.get $p) (i32.sub (i32.const 48) (local.get $p))))
  ;; a NUL-terminated string
  (func $puts (param $s i32)
    (local $e i32)
    (local.set $e (local.get $s))
    (block $done (loop $scan
      (br_if $done (i32.eqz (i32.load8_u (local.get $e))))
      (local.set $e (i32.add (local.get $e) (i32.const 1)))
      (br $scan)))
    (call $print (local.get $s) (i32.sub (local.get $e) (local.get $s))))
  ;; label (NUL-terminated) then a number
  (func $show (param $label i32) (param $v i32)
    (call $puts (local.get $label))
    (call $print_i32 (local.get $v)))
  (func $sum (param $n i64) (result i64)
    (if (result i64) (i64.eqz (local.get $n))
      (then (i64.const 0))
      (else (i64.add (local.get $n) (call $sum (i64.sub (local.get $n) (i64.const 1)))))))
  (func (export "_start")
    (local $s i64)
    (local.set $s (call $sum (i64.const 100000)))
    ;; 5000050000 = 5 * 10^9 + 50000
    (call $show (i32.const 100) (i32.wrap_i64 (i64.div_u (local.get $s) (i64.const 1000000000))))
    (call $show (i32.const 130) (i32.wrap_i64 (i64.rem_u (local.get $s) (i64.const 1000000000))))))
