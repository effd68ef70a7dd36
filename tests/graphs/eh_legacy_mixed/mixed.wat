;; Legacy (try/catch/catch_all/rethrow/delegate) and standard (try_table,
;; catch_ref, catch_all_ref, throw_ref) exception handling mixed in one
;; function: each kind of handler catches what the other kind throws or
;; rethrows, a delegate skips a try_table, and a legacy rethrow still names
;; the legacy catch's exception after a try_table inside that catch caught
;; another one. The legacy constructs are written flat, the standard ones
;; folded.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)

  (tag $e (param i32))

  ;; ---- output helpers -------------------------------------------------
  ;; memory: 0..8 iovec, 8..12 nwritten, 16..48 digits, 0x40 "\n", 0x42 " ",
  ;; messages (NUL-terminated) from 0x100
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
  (func $nl (call $puts (i32.const 0x40)))
  (func $sp (call $puts (i32.const 0x42)))
  ;; "<label><v>\n"
  (func $show (param $label i32) (param $v i64)
    (call $puts (local.get $label)) (call $put_i64 (local.get $v)) (call $nl))
  (func $say (param $label i32) (call $puts (local.get $label)) (call $nl))

  (data (i32.const 0x100) "a. legacy catch_all + rethrow, try_table catch: \00")
  (data (i32.const 0x140) "b. try_table catch_ref + throw_ref, legacy catch: \00")
  (data (i32.const 0x180) "c. throw in a legacy catch, try_table catch: \00")
  (data (i32.const 0x1c0) "d. delegate past a try_table's catch_all, legacy catch: \00")
  (data (i32.const 0x200) "e. try_table inside a legacy catch, then rethrow 0: \00")
  (data (i32.const 0x240) "f. catch_all_ref + throw_ref, legacy catch_all + rethrow, try_table catch: \00")
  (data (i32.const 0x2a0) "WRONG: no exception\00")
  (data (i32.const 0x2c0) "WRONG handler\00")
  (data (i32.const 0x2e0) "done\00")

  (func $throw_e (param i32)
    (throw $e (local.get 0)))

  (func $mixed (local $v i32) (local $x exnref)
    ;; a. the legacy catch_all rethrows to the enclosing try_table
    (block $h (result i32)
      (try_table (catch $e $h)
        try
          (call $throw_e (i32.const 1))
        catch_all
          rethrow 0
        end)
      (call $say (i32.const 0x2a0))
      (return))
    (local.set $v)
    (call $show (i32.const 0x100) (i64.extend_i32_s (local.get $v)))

    ;; b. throw_ref of what a try_table caught reaches the legacy catch
    try (result i32)
      (block $h (result i32 exnref)
        (try_table (catch_ref $e $h)
          (call $throw_e (i32.const 2)))
        (call $say (i32.const 0x2a0))
        (return))
      local.set $x           ;; the exception
      drop                   ;; its payload
      (throw_ref (local.get $x))
      i32.const -1
    catch $e
    end
    (local.set $v)
    (call $show (i32.const 0x140) (i64.extend_i32_s (local.get $v)))

    ;; c. a new throw in a legacy catch body goes to the try_table around it
    (block $h (result i32)
      (try_table (catch $e $h)
        try
          (call $throw_e (i32.const 3))
        catch $e
          i32.const 100
          i32.add
          throw $e           ;; 103
        end)
      (call $say (i32.const 0x2a0))
      (return))
    (local.set $v)
    (call $show (i32.const 0x180) (i64.extend_i32_s (local.get $v)))

    ;; d. delegate 2 goes from inside the try_table to the legacy try
    ;; around it; the try_table's catch_all is not visited
    try (result i32)                 ;; label 2 from inside the try_table
      block $wrong                   ;; label 1
        (try_table (catch_all $wrong) ;; label 0
          try
            (call $throw_e (i32.const 4))
          delegate 2)
        (call $say (i32.const 0x2a0))
        (return)
      end
      (call $say (i32.const 0x2c0))
      i32.const -1
    catch $e
    end
    (local.set $v)
    (call $show (i32.const 0x1c0) (i64.extend_i32_s (local.get $v)))

    ;; e. inside a legacy catch of exception A (5), a try_table catches B
    ;; (6) and drops it; rethrow 0 then rethrows A, not B
    try (result i32)
      try
        (call $throw_e (i32.const 5))
      catch $e
        drop
        (drop (block $h (result exnref)
          (try_table (catch_all_ref $h)
            (call $throw_e (i32.const 6)))
          (call $say (i32.const 0x2a0))
          (return)))
        rethrow 0
      end
      i32.const -1
    catch $e
    end
    (local.set $v)
    (call $show (i32.const 0x200) (i64.extend_i32_s (local.get $v)))

    ;; f. catch_all_ref + throw_ref, then a legacy catch_all + rethrow, then
    ;; a try_table catch: the payload (7) survives both
    (block $h (result i32)
      (try_table (catch $e $h)
        try
          (throw_ref
            (block $r (result exnref)
              (try_table (catch_all_ref $r)
                (call $throw_e (i32.const 7)))
              (call $say (i32.const 0x2a0))
              (return)))
        catch_all
          rethrow 0
        end)
      (call $say (i32.const 0x2a0))
      (return))
    (local.set $v)
    (call $show (i32.const 0x240) (i64.extend_i32_s (local.get $v))))

  (func $main (export "_start")
    (call $mixed)
    (call $say (i32.const 0x2e0))))
