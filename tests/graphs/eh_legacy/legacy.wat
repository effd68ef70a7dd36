;; The legacy exception-handling encoding (try/catch/catch_all/rethrow/
;; delegate, as toolchains emitted it before try_table): catch by tag,
;; several catch clauses, catch_all, rethrow of the innermost and of an
;; outer caught exception (depth 1), rethrow after catch_all, delegate to an
;; outer try (skipping a catch_all in between) and to the caller, a throw
;; from inside a catch body, a try with a parameter, and 1000 rounds of
;; catch + rethrow + catch. The try constructs are written flat (not
;; folded) so the block structure reads as in the binary.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)

  (tag $e (param i32))
  (tag $e2 (param i32 i64))
  (tag $e3)

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

  (data (i32.const 0x100) "catch $e: \00")
  (data (i32.const 0x140) "second clause catch $e2: \00")
  (data (i32.const 0x180) "catch_all took $e3\00")
  (data (i32.const 0x1c0) "rethrow 0, outer catch: \00")
  (data (i32.const 0x200) "rethrow 1 rethrows the outer exception: \00")
  (data (i32.const 0x240) "catch_all + rethrow keeps the payload: \00")
  (data (i32.const 0x280) "delegate 1 skips the catch_all, outer catch: \00")
  (data (i32.const 0x2c0) "delegate to the caller, caller caught: \00")
  (data (i32.const 0x300) "throw inside catch, outer caught: \00")
  (data (i32.const 0x340) "try (param i32) (result i32): \00")
  (data (i32.const 0x380) "1000 rounds, sum: \00")
  (data (i32.const 0x3c0) "across a frame, catch: \00")
  (data (i32.const 0x400) "WRONG: no exception\00")
  (data (i32.const 0x420) "WRONG handler\00")
  (data (i32.const 0x440) "done\00")

  (func $throw_e (param i32)
    local.get 0
    throw $e)

  ;; 1. catch by tag
  (func $basic (local $v i64)
    try (result i32)
      i32.const 11
      throw $e
    catch $e
    end
    i64.extend_i32_s
    local.set $v
    (call $show (i32.const 0x100) (local.get $v)))

  ;; 2. several clauses: the first that matches
  (func $clauses (local $v i64)
    try (result i64)
      i32.const 12
      i64.const -12000000000000
      throw $e2
    catch $e
      drop
      (call $say (i32.const 0x420))
      i64.const 0
    catch $e2
      local.set $v
      drop
      local.get $v
    catch_all
      (call $say (i32.const 0x420))
      i64.const 0
    end
    local.set $v
    (call $show (i32.const 0x140) (local.get $v))
    ;; no clause for $e3: catch_all
    try
      throw $e3
    catch $e
      drop
      (call $say (i32.const 0x420))
    catch_all
      (call $say (i32.const 0x180))
    end)

  ;; 3. rethrow 0 from a catch: the enclosing try catches the same exception
  (func $rethrow0 (local $v i64)
    try (result i32)
      try
        i32.const 13
        throw $e
      catch $e
        drop
        rethrow 0          ;; the exception this catch took
      end
      i32.const -1
    catch $e
    end
    i64.extend_i32_s
    local.set $v
    (call $show (i32.const 0x1c0) (local.get $v)))

  ;; 4. rethrow 1 inside a nested catch rethrows the OUTER caught exception
  (func $rethrow1 (local $v i64)
    try (result i32)
      try                  ;; A
        i32.const 14       ;; exception A carries 14
        throw $e
      catch $e
        drop
        try                ;; B
          i32.const 99     ;; exception B carries 99
          throw $e
        catch $e
          drop
          rethrow 1        ;; label 0 is B's catch, label 1 is A's: rethrows A (14)
        end
      end
      i32.const -1
    catch $e
    end
    i64.extend_i32_s
    local.set $v
    (call $show (i32.const 0x200) (local.get $v)))

  ;; 5. catch_all has no payload, but rethrow sends the whole exception on
  (func $catch_all_rethrow (local $v i64)
    try (result i32)
      try
        (call $throw_e (i32.const 15))
      catch_all
        rethrow 0
      end
      i32.const -1
    catch $e
    end
    i64.extend_i32_s
    local.set $v
    (call $show (i32.const 0x240) (local.get $v)))

  ;; 6. delegate 1: from the innermost try straight to the outer try's
  ;; handlers, past the middle try's catch_all
  (func $delegate_outer (local $v i64)
    try (result i32)         ;; outer: label 1 seen from the innermost try
      try (result i32)       ;; middle: label 0
        try
          (call $throw_e (i32.const 16))
        delegate 1           ;; to the outer try
        i32.const -1
      catch_all
        (call $say (i32.const 0x420))
        i32.const -2
      end
    catch $e
    end
    i64.extend_i32_s
    local.set $v
    (call $show (i32.const 0x280) (local.get $v)))

  ;; 7. delegate to the function's own label: the exception leaves the
  ;; function without visiting its catch_all; the caller catches it
  (func $delegate_to_caller
    try
      try
        (call $throw_e (i32.const 17))
      delegate 1             ;; label 0: the outer try; label 1: the function body
    catch_all
      (call $say (i32.const 0x420))
    end)
  (func $delegate_caller (local $v i64)
    try (result i32)
      call $delegate_to_caller
      i32.const -1
    catch $e
    end
    i64.extend_i32_s
    local.set $v
    (call $show (i32.const 0x2c0) (local.get $v)))

  ;; 8. a new throw inside a catch body goes to the enclosing try
  (func $throw_in_catch (local $v i64)
    try (result i32)
      try
        i32.const 1
        throw $e
      catch $e
        i32.const 17
        i32.add              ;; 1 + 17
        throw $e
      end
      i32.const -1
    catch $e
    end
    i64.extend_i32_s
    local.set $v
    (call $show (i32.const 0x300) (local.get $v)))

  ;; 9. a try with a parameter: the body takes it from the stack; the
  ;; handler's result replaces the body's
  (func $try_param (local $v i64)
    i32.const 40
    try (param i32) (result i32)
      i32.const 2
      i32.add
      throw $e               ;; 42
    catch $e
      i32.const 1000
      i32.add
    end
    i64.extend_i32_s
    local.set $v
    (call $show (i32.const 0x340) (local.get $v)))

  ;; 10. 1000 rounds: throw i, catch_all + rethrow, catch in the outer try
  (func $rounds (local $i i32) (local $sum i64)
    loop $round
      try (result i32)
        try
          (call $throw_e (local.get $i))
        catch_all
          rethrow 0
        end
        i32.const -1000000
      catch $e
      end
      i64.extend_i32_s
      local.get $sum
      i64.add
      local.set $sum
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $round (i32.lt_u (local.get $i) (i32.const 1000)))
    end
    (call $show (i32.const 0x380) (local.get $sum)))

  ;; 11. across frames: thrown two calls down
  (func $two_down (param i32) (call $throw_e (local.get 0)))
  (func $across (local $v i64)
    try (result i32)
      (call $two_down (i32.const 19))
      i32.const -1
    catch $e
    end
    i64.extend_i32_s
    local.set $v
    (call $show (i32.const 0x3c0) (local.get $v)))

  (func $main (export "_start")
    (call $basic)
    (call $clauses)
    (call $rethrow0)
    (call $rethrow1)
    (call $catch_all_rethrow)
    (call $delegate_outer)
    (call $delegate_caller)
    (call $throw_in_catch)
    (call $try_param)
    (call $rounds)
    (call $across)
    (call $say (i32.const 0x440))))
