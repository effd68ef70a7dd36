;; A trap is not an exception: no handler sees it, catch_all and
;; catch_all_ref included. The same handlers first catch a real throw from
;; the same callee; then the callee divides by zero under them and the
;; program ends with the trap, in main::divide.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (tag $e (param i32))

  ;; iovecs at 0 and 8, nwritten at 16
  (data (i32.const 0) "\40\00\00\00\0f\00\00\00\80\00\00\00\0c\00\00\00")
  (data (i32.const 0x40) "caught a throw\n")
  (data (i32.const 0x80) "not reached\n")

  ;; divide(a, b): throws $e when a is negative, traps when b is 0
  (func $divide (param $a i32) (param $b i32) (result i32)
    (if (i32.lt_s (local.get $a) (i32.const 0))
      (then (throw $e (local.get $a))))
    (i32.div_s (local.get $a) (local.get $b)))

  ;; divide under a catch_all inside a catch_all_ref; 1 if either caught
  (func $guarded (param $a i32) (param $b i32) (result i32)
    (block $all_ref (result exnref)
      (block $all
        (try_table (catch_all_ref $all_ref)
          (try_table (catch_all $all)
            (drop (call $divide (local.get $a) (local.get $b)))))
        (return (i32.const 0)))
      (return (i32.const 1)))
    (drop)
    (i32.const 1))

  (func $main (export "_start")
    (if (call $guarded (i32.const -1) (i32.const 1))
      (then (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 16)))))
    (if (call $guarded (i32.const 1) (i32.const 0))
      (then (drop (call $fd_write (i32.const 1) (i32.const 8) (i32.const 1) (i32.const 16)))))))
