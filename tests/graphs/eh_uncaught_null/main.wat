;; throw_ref of a null exnref is a trap (not an exception: no handler sees
;; it, catch_all included). First a real exnref goes through the same
;; function and is caught; then a null one traps in main::rethrow.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (tag $e (param i32))

  ;; iovecs at 0 and 8, nwritten at 16
  (data (i32.const 0) "\40\00\00\00\0f\00\00\00\80\00\00\00\0c\00\00\00")
  (data (i32.const 0x40) "rethrown: 1 ok\n")
  (data (i32.const 0x80) "not reached\n")

  (func $rethrow (param $x exnref)
    (throw_ref (local.get $x)))

  (func $main (export "_start")
    ;; a caught exception, rethrown by $rethrow and caught again
    (drop (block $again (result i32)
      (try_table (catch $e $again)
        (call $rethrow
          (block $h (result exnref)
            (try_table (catch_all_ref $h)
              (throw $e (i32.const 1)))
            (unreachable))))
      (unreachable)))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 16)))
    ;; a null exnref: a trap, which the catch_all does not see
    (block $h
      (try_table (catch_all $h)
        (call $rethrow (ref.null exn))))
    (drop (call $fd_write (i32.const 1) (i32.const 8) (i32.const 1) (i32.const 16)))))
