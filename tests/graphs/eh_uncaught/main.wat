;; main: catches lib's `oops` once, then calls lib again under a try_table
;; whose only handler is for main's own tag, so the second `oops` is not
;; caught by anyone: the program ends there, naming the tag (lib::oops) and
;; the function that threw it (lib::raise). What was printed before stays.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "lib" "oops" (tag $oops (param i32)))
  (import "lib" "fail" (func $fail (param i32)))
  (memory (export "memory") 1)
  (tag $mine (param i32))

  ;; iovecs at 0 and 8 for the two messages, nwritten at 16
  (data (i32.const 0) "\40\00\00\00\0e\00\00\00\80\00\00\00\0c\00\00\00")
  (data (i32.const 0x40) "caught oops 1\n")
  (data (i32.const 0x80) "not reached\n")

  (func $main (export "_start")
    (drop (block $h (result i32)
      (try_table (catch $oops $h)
        (call $fail (i32.const 1)))
      (unreachable)))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 16)))
    (drop (block $h (result i32)
      (try_table (catch $mine $h)
        (call $fail (i32.const 2)))
      (unreachable)))
    (drop (call $fd_write (i32.const 1) (i32.const 8) (i32.const 1) (i32.const 16)))))
