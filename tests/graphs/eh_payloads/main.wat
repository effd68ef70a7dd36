;; main: payloads of every value type (alone, together, none, twelve at
;; once), exceptions through call_indirect and call_ref frames, a throw
;; caught 1000 times in a loop, nested try_tables where only the outer one
;; matches, handler order, the tags of two instances of one source (a.t,
;; b.t) kept apart, handler labels that are a loop (with a parameter) and
;; the function itself, an exnref kept in a global and thrown twice after
;; its handler returned, a return_call inside a try_table (the frame and
;; its handlers are gone), and a throw 50000 frames below its handler.
;; Floats and vectors are printed as bits, so NaN payloads and -0 must
;; arrive unchanged.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "a" "t" (tag $a_t (param i32)))
  (import "a" "throw_t" (func $a_throw (param i32)))
  (import "b" "t" (tag $b_t (param i32)))
  (import "b" "throw_t" (func $b_throw (param i32)))
  (memory (export "memory") 1)

  (type $fn_i32 (func (param i32)))
  (type $fn_ret (func (result i32)))

  (tag $ti32 (param i32))
  (tag $ti64 (param i64))
  (tag $tf32 (param f32))
  (tag $tf64 (param f64))
  (tag $tv128 (param v128))
  (tag $tfunc (param funcref))
  (tag $textern (param externref))
  (tag $tmulti (param i32 i64 f32 f64 v128 funcref externref))
  (tag $tempty)
  (tag $t12 (param i32 i64 f64 i32 i64 f64 i32 i64 f64 i32 i64 f64))

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
  ;; 0x and 16 hex digits
  (func $put_hex (param $v i64) (local $i i32) (local $d i32)
    (i32.store16 (i32.const 16) (i32.const 0x7830)) ;; "0x"
    (loop $digit
      (local.set $d (i32.wrap_i64 (i64.and (i64.shr_u (local.get $v)
        (i64.extend_i32_u (i32.sub (i32.const 60) (i32.mul (local.get $i) (i32.const 4))))) (i64.const 15))))
      (i32.store8 (i32.add (i32.const 18) (local.get $i))
        (i32.add (local.get $d) (select (i32.const 48) (i32.const 87) (i32.lt_u (local.get $d) (i32.const 10)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $digit (i32.lt_u (local.get $i) (i32.const 16))))
    (call $write (i32.const 16) (i32.const 18)))
  (func $nl (call $puts (i32.const 0x40)))
  (func $sp (call $puts (i32.const 0x42)))
  ;; "<label><v>\n"
  (func $show (param $label i32) (param $v i64)
    (call $puts (local.get $label)) (call $put_i64 (local.get $v)) (call $nl))
  ;; "<label><hex>\n"
  (func $show_hex (param $label i32) (param $v i64)
    (call $puts (local.get $label)) (call $put_hex (local.get $v)) (call $nl))
  ;; "<label><low lane hex> <high lane hex>\n"
  (func $show_v128 (param $label i32) (param $v v128)
    (call $puts (local.get $label))
    (call $put_hex (i64x2.extract_lane 0 (local.get $v))) (call $sp)
    (call $put_hex (i64x2.extract_lane 1 (local.get $v))) (call $nl))
  (func $say (param $label i32) (call $puts (local.get $label)) (call $nl))

  (data (i32.const 0x100) "i32 payload: \00")
  (data (i32.const 0x120) "i64 payload: \00")
  (data (i32.const 0x140) "f32 payload bits: \00")
  (data (i32.const 0x160) "f64 payload bits: \00")
  (data (i32.const 0x180) "v128 payload lanes: \00")
  (data (i32.const 0x1a0) "funcref payload, called: \00")
  (data (i32.const 0x1c0) "externref payload is null: \00")
  (data (i32.const 0x1e0) "multi: i32 \00")
  (data (i32.const 0x1f0) "multi: i64 \00")
  (data (i32.const 0x200) "multi: f32 bits \00")
  (data (i32.const 0x220) "multi: f64 bits \00")
  (data (i32.const 0x240) "multi: v128 \00")
  (data (i32.const 0x260) "multi: funcref called: \00")
  (data (i32.const 0x280) "multi: externref is null: \00")
  (data (i32.const 0x2a0) "empty payload caught\00")
  (data (i32.const 0x2c0) "through call_indirect: \00")
  (data (i32.const 0x2e0) "through call_ref: \00")
  (data (i32.const 0x300) "through call_ref then call_indirect: \00")
  (data (i32.const 0x340) "loop: caught \00")
  (data (i32.const 0x360) "loop: sum of handler values: \00")
  (data (i32.const 0x380) "loop: rounds where $before (set before the throw) was wrong: \00")
  (data (i32.const 0x3c0) "loop: rounds where $after (set after the throw) was set: \00")
  (data (i32.const 0x400) "loop: memory written before the last throw: \00")
  (data (i32.const 0x440) "nested: outer catch $ti32 took \00")
  (data (i32.const 0x480) "order: second clause (catch $ti32) took \00")
  (data (i32.const 0x4c0) "order: catch_all before catch $ti32 wins\00")
  (data (i32.const 0x500) "instances: a.t caught a's throw: \00")
  (data (i32.const 0x540) "instances: b's throw passed a.t, b.t caught: \00")
  (data (i32.const 0x580) "instances: a's throw passed b.t, catch_all took it\00")
  (data (i32.const 0x5c0) "after the loop, a call 5000 deep returns \00")
  (data (i32.const 0x600) "WRONG: no exception\00")
  (data (i32.const 0x620) "WRONG handler\00")
  (data (i32.const 0x640) "done\00")
  (data (i32.const 0x680) "12 values, popped last to first: \00")
  (data (i32.const 0x6c0) "catch to a loop label: \00")
  (data (i32.const 0x6e0) "  attempts: \00")
  (data (i32.const 0x700) "catch to the function's own label returns: \00")
  (data (i32.const 0x740) "exnref kept in a global, rethrown, caught: \00")
  (data (i32.const 0x780) "return_call left the try_table, the caller caught: \00")
  (data (i32.const 0x7c0) "thrown 50000 frames down, caught: \00")

  ;; ---- functions reached through a table and by reference -------------
  (table $fns 2 funcref)
  (elem (table $fns) (i32.const 0) func $throw_i32 $seven)
  (elem declare func $eleven $throw_i32 $indirect_throw)
  (func $seven (type $fn_ret) (i32.const 7))
  (func $eleven (type $fn_ret) (i32.const 11))

  ;; call a funcref (a payload) through slot 1 of the table
  (func $call_funcref (param $f funcref) (result i32)
    (table.set $fns (i32.const 1) (local.get $f))
    (call_indirect $fns (type $fn_ret) (i32.const 1)))

  ;; ---- throwers: each one frame below its caller -----------------------
  (global $thrown (mut i32) (i32.const 0))
  (func $throw_i32 (type $fn_i32)
    (global.set $thrown (i32.add (global.get $thrown) (i32.const 1)))
    (throw $ti32 (local.get 0)))
  ;; d frames below, then throw $ti32 v
  (func $throw_at_depth (param $v i32) (param $d i32) (result i32)
    (if (i32.eqz (local.get $d)) (then (call $throw_i32 (local.get $v))))
    (i32.add (i32.const 1)
      (call $throw_at_depth (local.get $v) (i32.sub (local.get $d) (i32.const 1)))))
  (func $indirect_throw (type $fn_i32)
    (call_indirect $fns (type $fn_i32) (local.get 0) (i32.const 0)))

  ;; ---- 1. one payload of each type --------------------------------------
  (func $payloads
    (local $multi_f32 f32) (local $multi_f64 f64) (local $multi_v v128)
    (local $multi_f funcref) (local $multi_e externref) (local $multi_i64 i64) (local $multi_i32 i32)
    (call $show (i32.const 0x100)
      (i64.extend_i32_s
        (block $h (result i32)
          (try_table (catch $ti32 $h) (throw $ti32 (i32.const -123456789)))
          (call $say (i32.const 0x600)) (return))))
    (call $show (i32.const 0x120)
      (block $h (result i64)
        (try_table (catch $ti64 $h) (throw $ti64 (i64.const 0x8000000000000001)))
        (call $say (i32.const 0x600)) (return)))
    ;; a signalling NaN with a payload: moved, never computed on
    (call $show_hex (i32.const 0x140)
      (i64.extend_i32_u (i32.reinterpret_f32
        (block $h (result f32)
          (try_table (catch $tf32 $h) (throw $tf32 (f32.const -nan:0x200001)))
          (call $say (i32.const 0x600)) (return)))))
    (call $show_hex (i32.const 0x160)
      (i64.reinterpret_f64
        (block $h (result f64)
          (try_table (catch $tf64 $h) (throw $tf64 (f64.const -0x1.23456789abcdep+1000)))
          (call $say (i32.const 0x600)) (return))))
    (call $show_v128 (i32.const 0x180)
      (block $h (result v128)
        (try_table (catch $tv128 $h)
          (throw $tv128 (v128.const i32x4 0x01234567 0x89abcdef 0xdeadbeef 0x0badf00d)))
        (call $say (i32.const 0x600)) (return)))
    (call $show (i32.const 0x1a0)
      (i64.extend_i32_s (call $call_funcref
        (block $h (result funcref)
          (try_table (catch $tfunc $h) (throw $tfunc (ref.func $eleven)))
          (call $say (i32.const 0x600)) (return)))))
    (call $show (i32.const 0x1c0)
      (i64.extend_i32_u (ref.is_null
        (block $h (result externref)
          (try_table (catch $textern $h) (throw $textern (ref.null extern)))
          (call $say (i32.const 0x600)) (return)))))
    ;; all of them in one payload
    (block $h (result i32 i64 f32 f64 v128 funcref externref)
      (try_table (catch $tmulti $h)
        (throw $tmulti
          (i32.const 2147483647) (i64.const -2) (f32.const 0x1.fffffep+127)
          (f64.const -0.0) (v128.const i8x16 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16)
          (ref.func $seven) (ref.null extern)))
      (call $say (i32.const 0x600)) (return))
    (local.set $multi_e) (local.set $multi_f) (local.set $multi_v)
    (local.set $multi_f64) (local.set $multi_f32) (local.set $multi_i64) (local.set $multi_i32)
    (call $show (i32.const 0x1e0) (i64.extend_i32_s (local.get $multi_i32)))
    (call $show (i32.const 0x1f0) (local.get $multi_i64))
    (call $show_hex (i32.const 0x200) (i64.extend_i32_u (i32.reinterpret_f32 (local.get $multi_f32))))
    (call $show_hex (i32.const 0x220) (i64.reinterpret_f64 (local.get $multi_f64)))
    (call $show_v128 (i32.const 0x240) (local.get $multi_v))
    (call $show (i32.const 0x260) (i64.extend_i32_s (call $call_funcref (local.get $multi_f))))
    (call $show (i32.const 0x280) (i64.extend_i32_u (ref.is_null (local.get $multi_e))))
    ;; no payload at all
    (block $h
      (try_table (catch $tempty $h) (throw $tempty))
      (call $say (i32.const 0x600)) (return))
    (call $say (i32.const 0x2a0)))

  ;; ---- 2. through call_indirect and call_ref frames ---------------------
  (func $indirect_frames
    (call $show (i32.const 0x2c0)
      (i64.extend_i32_s
        (block $h (result i32)
          (try_table (catch $ti32 $h)
            (call_indirect $fns (type $fn_i32) (i32.const 21) (i32.const 0)))
          (call $say (i32.const 0x600)) (return))))
    (call $show (i32.const 0x2e0)
      (i64.extend_i32_s
        (block $h (result i32)
          (try_table (catch $ti32 $h)
            (call_ref $fn_i32 (i32.const 22) (ref.func $throw_i32)))
          (call $say (i32.const 0x600)) (return))))
    (call $show (i32.const 0x300)
      (i64.extend_i32_s
        (block $h (result i32)
          (try_table (catch $ti32 $h)
            (call_ref $fn_i32 (i32.const 23) (ref.func $indirect_throw)))
          (call $say (i32.const 0x600)) (return)))))

  ;; ---- 3. a throw caught 1000 times ------------------------------------
  ;; Each round: 1000000 is pushed on the operand stack under the
  ;; try_table, the body writes $before and memory, then throws $ti32 i
  ;; from i mod 37 frames down; the handler's value is added to the
  ;; 1000000 still on the stack. After the loop: 1000 catches, sum
  ;; 1000 * 1000000 + 0 + ... + 999, no round saw a wrong $before or a set
  ;; $after, memory holds the last round's write.
  (func $loop_catch
    (local $i i32) (local $sum i64) (local $before i32) (local $after i32)
    (local $bad_before i32) (local $bad_after i32) (local $caught i32)
    (global.set $thrown (i32.const 0))
    (loop $round
      (local.set $sum (i64.add (local.get $sum) (i64.extend_i32_s
        (i32.add (i32.const 1000000)
          (block $h (result i32)
            (try_table (result i32) (catch $ti32 $h)
              (local.set $before (i32.add (local.get $i) (i32.const 1)))
              (i32.store (i32.const 0x1000) (local.get $i))
              (drop (call $throw_at_depth (local.get $i) (i32.rem_u (local.get $i) (i32.const 37))))
              (local.set $after (i32.const 1))
              (i32.const -1000000)))))))
      (local.set $caught (i32.add (local.get $caught) (i32.const 1)))
      (if (i32.ne (local.get $before) (i32.add (local.get $i) (i32.const 1)))
        (then (local.set $bad_before (i32.add (local.get $bad_before) (i32.const 1)))))
      (if (local.get $after)
        (then (local.set $bad_after (i32.add (local.get $bad_after) (i32.const 1)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $round (i32.lt_u (local.get $i) (i32.const 1000))))
    (call $show (i32.const 0x340) (i64.extend_i32_s (local.get $caught)))
    (call $show (i32.const 0x360) (local.get $sum))
    (call $show (i32.const 0x380) (i64.extend_i32_s (local.get $bad_before)))
    (call $show (i32.const 0x3c0) (i64.extend_i32_s (local.get $bad_after)))
    (call $show (i32.const 0x400) (i64.load32_s (i32.const 0x1000)))
    ;; the stack is whole: a call 5000 frames deep that does not throw
    (call $show (i32.const 0x5c0) (i64.extend_i32_s (call $count_down (i32.const 5000)))))
  (func $count_down (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (global.get $thrown))
      (else (i32.add (i32.const 1) (call $count_down (i32.sub (local.get $n) (i32.const 1)))))))

  ;; ---- 4. nested try_tables: only the outer one matches ---------------
  (func $nested
    (call $show (i32.const 0x440)
      (i64.extend_i32_s
        (block $outer (result i32)
          (try_table (catch $ti32 $outer)
            (drop (block $mid (result i64)
              (try_table (catch $ti64 $mid)
                (drop (block $inner (result f32)
                  (try_table (catch $tf32 $inner)
                    (call $throw_i32 (i32.const 55)))
                  (call $say (i32.const 0x600)) (return))))
              (call $say (i32.const 0x620)) (return))))
          (call $say (i32.const 0x620)) (return)))))

  ;; ---- 5. handler order within one try_table ----------------------------
  (func $order
    (call $show (i32.const 0x480)
      (i64.extend_i32_s
        (block $second (result i32)
          (drop (block $first (result i64)
            (block $all
              (try_table (catch $ti64 $first) (catch $ti32 $second) (catch_all $all)
                (call $throw_i32 (i32.const 66)))
              (call $say (i32.const 0x600)) (return))
            (call $say (i32.const 0x620)) (return)))
          (call $say (i32.const 0x620)) (return))))
    (block $all
      (drop (block $i32 (result i32)
        (try_table (catch_all $all) (catch $ti32 $i32)
          (call $throw_i32 (i32.const 67)))
        (call $say (i32.const 0x600)) (return)))
      (call $say (i32.const 0x620)) (return))
    (call $say (i32.const 0x4c0)))

  ;; ---- 6. two instances of one source: two tags -------------------------
  (func $instances
    (call $show (i32.const 0x500)
      (i64.extend_i32_s
        (block $a (result i32)
          (try_table (catch $a_t $a) (call $a_throw (i32.const 1)))
          (call $say (i32.const 0x600)) (return))))
    (call $show (i32.const 0x540)
      (i64.extend_i32_s
        (block $b (result i32)
          (try_table (catch $b_t $b)
            (drop (block $a (result i32)
              (try_table (catch $a_t $a) (call $b_throw (i32.const 2)))
              (call $say (i32.const 0x600)) (return)))
            (call $say (i32.const 0x620)) (return))
          (call $say (i32.const 0x600)) (return))))
    (block $all
      (drop (block $b (result i32)
        (try_table (catch $b_t $b) (catch_all $all) (call $a_throw (i32.const 3)))
        (call $say (i32.const 0x600)) (return)))
      (call $say (i32.const 0x620)) (return))
    (call $say (i32.const 0x580)))

  ;; ---- 7. twelve values in one payload ---------------------------------
  ;; 1..12 as i32, i64, f64 in turn; folded into one number, 4 bits per
  ;; value, popping the last value first: 0xcba987654321 when every value
  ;; is in its place.
  (func $many (local $acc i64)
    (block $h (result i32 i64 f64 i32 i64 f64 i32 i64 f64 i32 i64 f64)
      (try_table (catch $t12 $h)
        (throw $t12
          (i32.const 1) (i64.const 2) (f64.const 3) (i32.const 4) (i64.const 5) (f64.const 6)
          (i32.const 7) (i64.const 8) (f64.const 9) (i32.const 10) (i64.const 11) (f64.const 12)))
      (call $say (i32.const 0x600)) (return))
    i64.trunc_f64_s  local.get $acc  i64.const 4  i64.shl  i64.or  local.set $acc  ;; 12
    (; i64 ;)        local.get $acc  i64.const 4  i64.shl  i64.or  local.set $acc  ;; 11
    i64.extend_i32_u local.get $acc  i64.const 4  i64.shl  i64.or  local.set $acc  ;; 10
    i64.trunc_f64_s  local.get $acc  i64.const 4  i64.shl  i64.or  local.set $acc  ;; 9
    (; i64 ;)        local.get $acc  i64.const 4  i64.shl  i64.or  local.set $acc  ;; 8
    i64.extend_i32_u local.get $acc  i64.const 4  i64.shl  i64.or  local.set $acc  ;; 7
    i64.trunc_f64_s  local.get $acc  i64.const 4  i64.shl  i64.or  local.set $acc  ;; 6
    (; i64 ;)        local.get $acc  i64.const 4  i64.shl  i64.or  local.set $acc  ;; 5
    i64.extend_i32_u local.get $acc  i64.const 4  i64.shl  i64.or  local.set $acc  ;; 4
    i64.trunc_f64_s  local.get $acc  i64.const 4  i64.shl  i64.or  local.set $acc  ;; 3
    (; i64 ;)        local.get $acc  i64.const 4  i64.shl  i64.or  local.set $acc  ;; 2
    i64.extend_i32_u local.get $acc  i64.const 4  i64.shl  i64.or  local.set $acc  ;; 1
    (call $show_hex (i32.const 0x680) (local.get $acc)))

  ;; ---- 8. handler labels that are not blocks ------------------------------
  ;; attempt(n): throws $ti32 n+1 while n < 4, then returns n * 100
  (global $attempts (mut i32) (i32.const 0))
  (func $attempt (param $n i32) (result i32)
    (global.set $attempts (i32.add (global.get $attempts) (i32.const 1)))
    (if (i32.lt_s (local.get $n) (i32.const 4))
      (then (throw $ti32 (i32.add (local.get $n) (i32.const 1)))))
    (i32.mul (local.get $n) (i32.const 100)))
  ;; the handler's label is a loop with a parameter: catching re-enters the
  ;; loop with the payload as the parameter (a retry loop)
  (func $retry (local $n i32)
    (call $show (i32.const 0x6c0)
      (i64.extend_i32_s
        (i32.const 0)
        (loop $again (param i32) (result i32)
          (local.set $n)
          (try_table (result i32) (catch $ti32 $again)
            (call $attempt (local.get $n))))))
    (call $show (i32.const 0x6e0) (i64.extend_i32_s (global.get $attempts))))
  ;; catch label 0 seen from a try_table at the top of a function is the
  ;; function's own label: catching returns the payload
  (func $catch_returns (result i32)
    (try_table (catch $ti32 0)
      (call $throw_i32 (i32.const 77)))
    (i32.const -1))

  ;; ---- 9. an exnref outlives its handler ---------------------------------
  ;; kept in a global after the frames that threw and caught it are gone,
  ;; then thrown twice by another function, caught each time
  (global $saved (mut exnref) (ref.null exn))
  (func $save
    (global.set $saved
      (block $h (result exnref)
        (try_table (catch_all_ref $h)
          (drop (call $throw_at_depth (i32.const 88) (i32.const 5))))
        (call $say (i32.const 0x600)) (return))))
  (func $rethrow_saved
    (throw_ref (global.get $saved)))
  (func $saved_exnref
    (call $save)
    (call $show (i32.const 0x740)
      (i64.extend_i32_s
        (block $h (result i32)
          (try_table (catch $ti32 $h) (call $rethrow_saved))
          (call $say (i32.const 0x600)) (return))))
    (call $show (i32.const 0x740)
      (i64.extend_i32_s
        (block $h (result i32)
          (try_table (catch $ti32 $h) (call $rethrow_saved))
          (call $say (i32.const 0x600)) (return)))))

  ;; ---- 10. return_call leaves the try_table --------------------------------
  ;; a tail call replaces the frame, handlers included: the callee's throw
  ;; goes to the caller's handler, not to this try_table's
  (func $tail_from_try (param $v i32)
    (block $h (result i32)
      (try_table (catch $ti32 $h)
        (return_call $throw_i32 (local.get $v)))
      (return))
    (call $say (i32.const 0x620))
    (drop))
  (func $tail_call
    (call $show (i32.const 0x780)
      (i64.extend_i32_s
        (block $h (result i32)
          (try_table (catch $ti32 $h) (call $tail_from_try (i32.const 99)))
          (call $say (i32.const 0x600)) (return)))))

  (func $main (export "_start")
    (call $payloads)
    (call $indirect_frames)
    (call $loop_catch)
    (call $nested)
    (call $order)
    (call $instances)
    (call $many)
    (call $retry)
    (call $show (i32.const 0x700) (i64.extend_i32_s (call $catch_returns)))
    (call $saved_exnref)
    (call $tail_call)
    ;; a long way up: 50000 frames unwound at once
    (call $show (i32.const 0x7c0)
      (i64.extend_i32_s
        (block $h (result i32)
          (try_table (catch $ti32 $h)
            (drop (call $throw_at_depth (i32.const 50000) (i32.const 50000))))
          (call $say (i32.const 0x600)) (return))))
    (call $say (i32.const 0x640))))
