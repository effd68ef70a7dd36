;; main: calls lib.step 200 million times in a loop and prints the result.
;; Exports three loops over the same work so one graph measures three kinds
;; of call:
;;   _start   - the imported lib.step (a direct call under --link static,
;;              an indirect call through main's table under --link dynamic)
;;   local    - a copy of step defined in this module (a plain direct call)
;;   indirect - the local copy called through call_indirect (what an
;;              instantiating runtime's import call costs at most)
;; Each prints the final value (the same for all three): 2147483647 is not
;; expected; run `wasmlink run bench/calls/app.json` to see it.
(module
  (type $step_t (func (param i32) (result i32)))
  (import "lib" "step" (func $imported_step (type $step_t)))
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (table 1 funcref)
  (elem (i32.const 0) $local_step)

  (global $n i32 (i32.const 200000000))

  (func $local_step (type $step_t)
    (i32.add (i32.mul (local.get 0) (i32.const 1664525)) (i32.const 1013904223)))

  ;; print_u32(n): n in decimal and a newline, via fd_write (buffer at 16..48,
  ;; iovec at 0).
  (func $print_u32 (param $u i32)
    (local $p i32)
    (local.set $p (i32.const 47))
    (i32.store8 (local.get $p) (i32.const 10))
    (loop $digits
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p)
        (i32.add (i32.const 48) (i32.rem_u (local.get $u) (i32.const 10))))
      (local.set $u (i32.div_u (local.get $u) (i32.const 10)))
      (br_if $digits (local.get $u)))
    (i32.store (i32.const 0) (local.get $p))
    (i32.store (i32.const 4) (i32.sub (i32.const 48) (local.get $p)))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))

  (func (export "_start")
    (local $i i32) (local $x i32)
    (loop $l
      (local.set $x (call $imported_step (local.get $x)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (global.get $n))))
    (call $print_u32 (local.get $x)))

  (func (export "local")
    (local $i i32) (local $x i32)
    (loop $l
      (local.set $x (call $local_step (local.get $x)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (global.get $n))))
    (call $print_u32 (local.get $x)))

  (func (export "indirect")
    (local $i i32) (local $x i32)
    (loop $l
      (local.set $x (call_indirect (type $step_t) (local.get $x) (i32.const 0)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (global.get $n))))
    (call $print_u32 (local.get $x))))
