;; main: talks to two counters through one facade, "counters".
;;   counters.inc_a / counters.get_a    re-exported from instance a
;;   counters.get_b                     imported into the facade, exported
;;   counters/b.inc, .get, .calls       all of b, as the namespace counters/b
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "counters" "inc_a" (func $inc_a (param i32) (result i32)))
  (import "counters" "get_a" (func $get_a (result i32)))
  (import "counters" "get_b" (func $get_b (result i32)))
  (import "counters/b" "inc" (func $inc_b (param i32) (result i32)))
  (import "counters/b" "calls" (func $calls_b (result i32)))

  (memory (export "memory") 1)
  (data (i32.const 100) "a.inc(1)  -> ")
  (data (i32.const 120) "b.inc(10) -> ")
  (data (i32.const 140) "a.get()   -> ")
  (data (i32.const 160) "b.get()   -> ")
  (data (i32.const 180) "b.calls() -> ")

  (func $print (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))

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

  ;; label + value
  (func $show (param $label i32) (param $v i32)
    (call $print (local.get $label) (i32.const 13))
    (call $print_i32 (local.get $v)))

  (func (export "_start")
    (call $show (i32.const 100) (call $inc_a (i32.const 1)))
    (call $show (i32.const 100) (call $inc_a (i32.const 1)))
    (call $show (i32.const 120) (call $inc_b (i32.const 10)))
    (call $show (i32.const 100) (call $inc_a (i32.const 1)))
    (call $show (i32.const 140) (call $get_a))
    (call $show (i32.const 160) (call $get_b))
    (call $show (i32.const 180) (call $calls_b))))
