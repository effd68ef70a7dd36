;; main: imports lib's tags and functions and catches what lib throws with
;; every standard handler kind: catch, catch_ref + throw_ref (rethrown and
;; caught again by an outer frame), catch_all, catch_all_ref; throws lib's
;; tag itself for lib to catch. Prints one line per check. argv[1] (the
;; link mode, given by `cmd`) is printed first.
(module
  (type $thunk (func))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "lib" "err" (tag $err (param i32 i64)))
  ;; the same tag imported a second time under another name: the same tag
  (import "lib" "err" (tag $err_again (param i32 i64)))
  (import "lib" "other" (tag $other (param i32)))
  (import "lib" "raise" (func $raise (param i32)))
  (import "lib" "maybe_raise" (func $maybe_raise (param i32 i32) (result i32)))
  (import "lib" "raise_other" (func $raise_other (param i32)))
  (import "lib" "guard" (func $guard (param (ref $thunk)) (result i32 i64)))
  (memory (export "memory") 1)

  ;; ---- output helpers -------------------------------------------------
  ;; memory: 0..8 iovec, 8..12 nwritten, 16..48 digits, 0x40 "\n", 0x42 " ",
  ;; messages (NUL-terminated) from 0x100, argv from 0x800
  (data (i32.const 0x40) "\n\00 \00")
  (func $write (param $p i32) (param $n i32)
    (i32.store (i32.const 0) (local.get $p))
    (i32.store (i32.const 4) (local.get $n))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  ;; a NUL-terminated string
  (func $puts (param $s i32) (local $e i32)
    (local.set $e (local.get $s))
    (block $done (loop $scan
      (br_if $done (i32.eqz (i32.load8_u (local.get $e))))
      (local.set $e (i32.add (local.get $e) (i32.const 1)))
      (br $scan)))
    (call $write (local.get $s) (i32.sub (local.get $e) (local.get $s))))
  ;; a signed 64-bit integer in decimal
  (func $put_i64 (param $v i64) (local $p i32) (local $neg i32) (local $u i64)
    (local.set $neg (i64.lt_s (local.get $v) (i64.const 0)))
    (local.set $u (select (i64.sub (i64.const 0) (local.get $v)) (local.get $v) (local.get $neg)))
    (local.set $p (i32.const 48))
    (loop $digit
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i64.store8 (local.get $p) (i64.add (i64.const 48) (i64.rem_u (local.get $u) (i64.const 10))))
      (local.set $u (i64.div_u (local.get $u) (i64.const 10)))
      (br_if $digit (i64.ne (local.get $u) (i64.const 0))))
    (if (local.get $neg) (then
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p) (i32.const 45))))
    (call $write (local.get $p) (i32.sub (i32.const 48) (local.get $p))))
  ;; "<label><a> <b>\n"
  (func $show2 (param $label i32) (param $a i64) (param $b i64)
    (call $puts (local.get $label))
    (call $put_i64 (local.get $a))
    (call $puts (i32.const 0x42))
    (call $put_i64 (local.get $b))
    (call $puts (i32.const 0x40)))
  ;; "<label><v>\n"
  (func $show1 (param $label i32) (param $v i64)
    (call $puts (local.get $label))
    (call $put_i64 (local.get $v))
    (call $puts (i32.const 0x40)))
  ;; "<label>\n"
  (func $say (param $label i32)
    (call $puts (local.get $label))
    (call $puts (i32.const 0x40)))

  (data (i32.const 0x100) "mode: \00")
  (data (i32.const 0x140) "1 catch $err: \00")
  (data (i32.const 0x180) "2 relay (catch_ref) saw: \00")
  (data (i32.const 0x1c0) "2 outer frame caught the rethrow: \00")
  (data (i32.const 0x200) "3 catch $other skipped, catch_all taken\00")
  (data (i32.const 0x240) "4 catch_all_ref, throw_ref, catch $err: \00")
  (data (i32.const 0x280) "5 no throw, try_table result: \00")
  (data (i32.const 0x2c0) "6 catch $err_again (same tag) caught: \00")
  (data (i32.const 0x300) "7 lib's guard caught main's throw: \00")
  (data (i32.const 0x340) "8 $other passed catch $err, outer caught: \00")
  (data (i32.const 0x380) "WRONG: no exception\00")
  (data (i32.const 0x3c0) "WRONG handler\00")
  (data (i32.const 0x400) "done\00")

  ;; 1. plain catch: the handler receives both values of the payload
  (func $check_catch
    (local $code i32) (local $detail i64)
    (block $h (result i32 i64)
      (try_table (catch $err $h)
        (call $raise (i32.const 1)))
      (call $say (i32.const 0x380))
      (return))
    (local.set $detail)
    (local.set $code)
    (call $show2 (i32.const 0x140) (i64.extend_i32_s (local.get $code)) (local.get $detail)))

  ;; 2a. relay: catch_ref gets the payload and the exception; it prints
  ;; the payload and rethrows the same exception with throw_ref
  (func $relay (param $code i32)
    (local $detail i64) (local $exn exnref)
    (block $h (result i32 i64 exnref)
      (try_table (catch_ref $err $h)
        (call $raise (local.get $code)))
      (call $say (i32.const 0x380))
      (return))
    (local.set $exn)
    (local.set $detail)
    (local.set $code)
    (call $show2 (i32.const 0x180) (i64.extend_i32_s (local.get $code)) (local.get $detail))
    (throw_ref (local.get $exn)))
  ;; 2b. an outer frame catches the rethrown exception: same payload
  (func $check_rethrow
    (local $code i32) (local $detail i64)
    (block $h (result i32 i64)
      (try_table (catch $err $h)
        (call $relay (i32.const 2)))
      (call $say (i32.const 0x380))
      (return))
    (local.set $detail)
    (local.set $code)
    (call $show2 (i32.const 0x1c0) (i64.extend_i32_s (local.get $code)) (local.get $detail)))

  ;; 3. handlers are tried in order: catch $other does not match err,
  ;; catch_all does
  (func $check_catch_all
    (block $all
      (drop (block $wrong (result i32)
        (try_table (catch $other $wrong) (catch_all $all)
          (call $raise (i32.const 3)))
        (call $say (i32.const 0x380))
        (return)))
      (call $say (i32.const 0x3c0))
      (return))
    (call $say (i32.const 0x200)))

  ;; 4. catch_all_ref keeps the exception whole: thrown again with
  ;; throw_ref inside an outer try_table of the same function, its payload
  ;; is still there for catch $err
  (func $check_catch_all_ref
    (local $code i32) (local $detail i64)
    (block $outer (result i32 i64)
      (try_table (catch $err $outer)
        (throw_ref
          (block $h (result exnref)
            (try_table (catch_all_ref $h)
              (call $raise (i32.const 4)))
            (call $say (i32.const 0x380))
            (return))))
      (call $say (i32.const 0x380))
      (return))
    (local.set $detail)
    (local.set $code)
    (call $show2 (i32.const 0x240) (i64.extend_i32_s (local.get $code)) (local.get $detail)))

  ;; 5. nothing thrown: the try_table's own result comes through and no
  ;; handler runs
  (func $check_no_throw
    (local $v i32)
    (block $h
      (local.set $v
        (try_table (result i32) (catch_all $h)
          (call $maybe_raise (i32.const 21) (i32.const 0))))
      (call $show1 (i32.const 0x280) (i64.extend_i32_s (local.get $v)))
      (return))
    (call $say (i32.const 0x3c0)))

  ;; 6. a tag imported twice is one tag: catch $err_again takes err
  (func $check_same_tag
    (local $code i32) (local $detail i64)
    (block $h (result i32 i64)
      (try_table (catch $err_again $h)
        (drop (call $maybe_raise (i32.const 6) (i32.const 1))))
      (call $say (i32.const 0x380))
      (return))
    (local.set $detail)
    (local.set $code)
    (call $show2 (i32.const 0x2c0) (i64.extend_i32_s (local.get $code)) (local.get $detail)))

  ;; 7. main throws lib's tag (through its import); lib's guard catches it
  ;; with its own definition of the tag and returns the payload
  (func $throw_seven (type $thunk)
    (throw $err (i32.const 7) (i64.const 0x7fffffffffffffff)))
  (elem declare func $throw_seven)
  (func $check_guard
    (local $code i32) (local $detail i64)
    (call $guard (ref.func $throw_seven))
    (local.set $detail)
    (local.set $code)
    (call $show2 (i32.const 0x300) (i64.extend_i32_s (local.get $code)) (local.get $detail)))

  ;; 8. a different tag goes past catch $err to the next frame out
  (func $inner_catches_err_only
    (block $h (result i32 i64)
      (try_table (catch $err $h)
        (call $raise_other (i32.const 8)))
      (return))
    (drop) (drop)
    (call $say (i32.const 0x3c0)))
  (func $check_other_passes
    (local $v i32)
    (block $h (result i32)
      (try_table (catch $other $h)
        (call $inner_catches_err_only))
      (call $say (i32.const 0x380))
      (return))
    (local.set $v)
    (call $show1 (i32.const 0x340) (i64.extend_i32_s (local.get $v))))

  ;; argv[1]: the link mode the case passes
  (func $print_mode
    (drop (call $args_sizes_get (i32.const 0x800) (i32.const 0x804)))
    (drop (call $args_get (i32.const 0x810) (i32.const 0x900)))
    (call $puts (i32.const 0x100))
    (if (i32.ge_u (i32.load (i32.const 0x800)) (i32.const 2))
      (then (call $puts (i32.load (i32.const 0x814)))))
    (call $puts (i32.const 0x40)))

  (func $main (export "_start")
    (call $print_mode)
    (call $check_catch)
    (call $check_rethrow)
    (call $check_catch_all)
    (call $check_catch_all_ref)
    (call $check_no_throw)
    (call $check_same_tag)
    (call $check_guard)
    (call $check_other_passes)
    (call $say (i32.const 0x400))))
