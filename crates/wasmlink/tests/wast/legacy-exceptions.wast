;; Legacy exception handling (`try`/`catch`/`catch_all`/`delegate`/`rethrow`,
;; the encoding that the official test suite no longer covers), written for
;; wasmlink. Semantics as in the legacy exception-handling proposal: a
;; `catch` only covers the `try` body (not the other clauses), clauses are
;; tried in order, `rethrow N` rethrows the exception of the catch of the
;; N-th enclosing label (which must be a `try` whose catch we are in),
;; `delegate N` rethrows the exception inside the N-th label counted from
;; outside the try-delegate (a `try`: its clauses apply; a block or loop:
;; the next outer handler does; the function's label: the caller's), and a
;; tail call leaves the `try` it was made from.
;;
;; Try blocks are written flat (`try ... catch ... end`): the text parser has
;; no folded form for them.
;;
;; Every expectation was checked on reference engines (none runs the whole
;; script, so each assertion was checked by at least one of them). The
;; script was turned into JSON and binaries by `wasm-tools json-from-wast`
;; (wasm-tools 1.262) and run by a small JS driver that instantiates each
;; module with `new WebAssembly.Instance` (registered instances' exports as
;; imports) and compares results, traps (RuntimeError), uncaught exceptions
;; (WebAssembly.Exception), exhaustion (RangeError), validation failures
;; (CompileError, whose message was read to see that the intended rule was
;; the one hit) and link failures (LinkError):
;;   - node 26.12.1 (V8 14.6; legacy EH, exnref/try_table, typed function
;;     references and tail calls are on by default): every module except
;;     $mixed and $exnref-payload, which V8 refuses to compile ("module uses
;;     a mix of legacy and new exception handling instructions": V8 counts
;;     the exnref type as new), and except the one assertion with a v128
;;     result, which cannot cross into JS;
;;   - node 20.20.2 (V8 11.3, `--experimental-wasm-typed-funcref`): the
;;     modules without exnref, try_table or typed references;
;;   - binaryen 132's `wasm-shell` (its interpreter has both encodings): the
;;     whole script except the lines marked "(V8 only: ...)": four recurse
;;     deeper than its interpreter allows, and it neither checks tag import
;;     types nor rejects a tag type with results.
;; wasmtime 49 has no legacy exception handling (no `legacy-exceptions`
;; option; its text parser rejects `try`), so it could not be used.
;; Changing an expected value or turning an assert_exception into an
;; assert_trap makes these checks fail on V8 and on wasmlink.
;;
;; Not included, as no reference engine could check it: a `delegate` whose
;; label lies outside a `try_table` (the try_table's clauses do not apply,
;; by the legacy semantics where delegate skips every handler between it
;; and its label). V8 does not compile such a function and binaryen lets
;; the try_table catch the exception.

;; ---------------------------------------------------------------------------
;; try/catch/catch_all basics: results, params, clause order, propagation

(module $basic
  (tag $e0)
  (tag $e1 (param i32))
  (tag $e2 (param i32))
  (tag $e3 (param i32))
  (tag $pair (param i32 i64))
  (type $i32-to-i32 (func (param i32) (result i32)))

  (func $throw-e1 (param i32) (throw $e1 (local.get 0)))
  (func $trap (unreachable))
  ;; 0: $e0, 1: $e1 10, 2: $e2 20, otherwise $e3 30
  (func $throw-which (param i32)
    (block
      (block
        (block
          (block
            (br_table 0 1 2 3 (local.get 0)))
          (throw $e0))
        (throw $e1 (i32.const 10)))
      (throw $e2 (i32.const 20)))
    (throw $e3 (i32.const 30)))

  ;; A try without clauses catches nothing.
  (func (export "no-clauses-empty") (result i32)
    try
    end
    try
      nop
    end
    i32.const 1)
  (func (export "no-clauses-value") (result i32)
    try (result i32)
      i32.const 7
    end)
  (func (export "no-clauses-throw") (param i32) (result i32)
    try (result i32)
      try (result i32)
        local.get 0
        call $throw-e1
        i32.const 0
      end
    catch $e1
      i32.const 100
      i32.add
    end)
  (func (export "no-clauses-uncaught")
    try
      i32.const 3
      throw $e1
    end)

  ;; A body that does not throw gives the try's results.
  (func (export "no-throw") (result i32)
    try (result i32)
      i32.const 1
    catch $e1
      drop
      i32.const 2
    catch_all
      i32.const 3
    end)

  ;; The payload is what the catch starts with.
  (func (export "catch-payload") (param i32) (result i32)
    try (result i32)
      local.get 0
      throw $e1
    catch $e1
    end)

  ;; Params; the operand stack below the try is kept when it catches.
  (func (export "try-params") (param i32 i32) (result i32)
    (local $sum i32)
    i32.const 1000
    local.get 0
    local.get 1
    try (param i32 i32) (result i32)
      i32.add
      local.tee $sum
      i32.const 10
      i32.gt_s
      if
        local.get $sum
        throw $e1
      end
      local.get $sum
    catch $e1
      i32.const 100
      i32.mul
    end
    i32.add)

  ;; A block type given by a type index.
  (func (export "try-type-index") (param i32) (result i32)
    i32.const 5
    local.get 0
    try (type $i32-to-i32)
      i32.const 2
      i32.mul
      throw $e1
    catch $e1
      i32.const 1
      i32.add
    end
    i32.add)

  ;; Several results, from the body and from a catch.
  (func (export "try-multi") (param i32) (result i32 i64)
    try (result i32 i64)
      local.get 0
      if
        i32.const 5
        i64.const -6
        throw $pair
      end
      i32.const 1
      i64.const 2
    catch $pair
    catch_all
      i32.const -1
      i64.const -1
    end)
  (func (export "try-params-multi") (param i32 i64) (result i32 i64)
    local.get 0
    local.get 1
    try (param i32 i64) (result i32 i64)
      throw $pair
    catch $pair
      i64.const 1
      i64.add
    end)

  ;; Clauses are tried in order; the first match wins.
  (func (export "catch-order") (param i32) (result i32)
    try (result i32)
      local.get 0
      call $throw-which
      i32.const -1
    catch $e2
      i32.const 2000
      i32.add
    catch $e1
      i32.const 1000
      i32.add
    catch $e1
      drop
      i32.const -99
    catch_all
      i32.const 4
    end)

  ;; Only catch_all.
  (func (export "catch-all-only") (param i32) (result i32)
    try (result i32)
      local.get 0
      call $throw-which
      i32.const -1
    catch_all
      i32.const 77
    end)

  ;; No clause matches: the exception goes on to the next handler.
  (func (export "no-match-propagates") (param i32) (result i32)
    try (result i32)
      try (result i32)
        local.get 0
        call $throw-which
        i32.const -1
      catch $e2
        drop
        i32.const 2
      end
    catch $e1
      i32.const 100
      i32.add
    catch $e0
      i32.const 0
    end)

  ;; A throw from a clause is not caught by that try's other clauses.
  (func (export "throw-in-catch") (result i32)
    try (result i32)
      try (result i32)
        i32.const 1
        throw $e1
      catch $e1
        i32.const 10
        i32.add
        throw $e2
      catch $e2
        drop
        i32.const -1
      catch_all
        i32.const -2
      end
    catch $e2
    end)
  (func (export "throw-in-catch-all") (result i32)
    try (result i32)
      try (result i32)
        throw $e0
      catch_all
        i32.const 5
        throw $e1
      end
    catch $e1
    end)
  (func (export "throw-in-catch-uncaught")
    try
      throw $e0
    catch $e0
      i32.const 1
      throw $e1
    catch $e1
      drop
    catch_all
    end)

  ;; Traps are not exceptions: catch_all does not see them.
  (func (export "catch-all-trap") (result i32)
    try (result i32)
      call $trap
      i32.const 0
    catch_all
      i32.const 1
    end)
  (func (export "catch-all-div") (param i32) (result i32)
    try (result i32)
      i32.const 1
      local.get 0
      i32.div_u
    catch_all
      i32.const -1
    end)
  (func $deep (export "catch-all-exhaustion") (result i32)
    try (result i32)
      call $deep
    catch_all
      i32.const 0
    end)

  ;; A caught exception is gone: a try body entered again catches again.
  (func (export "catch-twice") (result i32)
    (local $n i32)
    try
      (throw $e1 (i32.const 1))
    catch $e1
      local.set $n
    end
    try
      (throw $e1 (i32.const 2))
    catch $e1
      local.get $n
      i32.add
      local.set $n
    end
    local.get $n)
)

(assert_return (invoke "no-clauses-empty") (i32.const 1))
(assert_return (invoke "no-clauses-value") (i32.const 7))
(assert_return (invoke "no-clauses-throw" (i32.const 5)) (i32.const 105))
(assert_exception (invoke "no-clauses-uncaught"))
(assert_return (invoke "no-throw") (i32.const 1))
(assert_return (invoke "catch-payload" (i32.const 42)) (i32.const 42))
(assert_return (invoke "catch-payload" (i32.const -1)) (i32.const -1))
(assert_return (invoke "try-params" (i32.const 1) (i32.const 2)) (i32.const 1003))
(assert_return (invoke "try-params" (i32.const 7) (i32.const 8)) (i32.const 2500))
(assert_return (invoke "try-type-index" (i32.const 3)) (i32.const 12))
(assert_return (invoke "try-multi" (i32.const 0)) (i32.const 1) (i64.const 2))
(assert_return (invoke "try-multi" (i32.const 1)) (i32.const 5) (i64.const -6))
(assert_return (invoke "try-params-multi" (i32.const 3) (i64.const 0x7fffffffffff))
  (i32.const 3) (i64.const 0x800000000000))
(assert_return (invoke "catch-order" (i32.const 0)) (i32.const 4))
(assert_return (invoke "catch-order" (i32.const 1)) (i32.const 1010))
(assert_return (invoke "catch-order" (i32.const 2)) (i32.const 2020))
(assert_return (invoke "catch-order" (i32.const 3)) (i32.const 4))
(assert_return (invoke "catch-all-only" (i32.const 0)) (i32.const 77))
(assert_return (invoke "catch-all-only" (i32.const 2)) (i32.const 77))
(assert_return (invoke "no-match-propagates" (i32.const 0)) (i32.const 0))
(assert_return (invoke "no-match-propagates" (i32.const 1)) (i32.const 110))
(assert_return (invoke "no-match-propagates" (i32.const 2)) (i32.const 2))
(assert_exception (invoke "no-match-propagates" (i32.const 3)))
(assert_return (invoke "throw-in-catch") (i32.const 11))
(assert_return (invoke "throw-in-catch-all") (i32.const 5))
(assert_exception (invoke "throw-in-catch-uncaught"))
(assert_trap (invoke "catch-all-trap") "unreachable")
(assert_trap (invoke "catch-all-div" (i32.const 0)) "integer divide by zero")
(assert_return (invoke "catch-all-div" (i32.const 1)) (i32.const 1))
(assert_exhaustion (invoke "catch-all-exhaustion") "call stack exhausted")
(assert_return (invoke "catch-twice") (i32.const 3))

;; ---------------------------------------------------------------------------
;; Payloads of every value type, one tag each and one tag carrying them all

(module $payloads
  (type $fi (func (result i32)))
  (tag $ti32 (param i32))
  (tag $ti64 (param i64))
  (tag $tf32 (param f32))
  (tag $tf64 (param f64))
  (tag $tv128 (param v128))
  (tag $tfunc (param funcref))
  (tag $text (param externref))
  (tag $tall (param i32 i64 f32 f64 v128 funcref externref))
  (tag $tnone)
  (table $t 4 funcref)
  (func $forty-two (type $fi) (i32.const 42))
  (func $seven (type $fi) (i32.const 7))
  (elem declare func $forty-two $seven)

  (func (export "i32") (param i32) (result i32)
    try (result i32)
      (throw $ti32 (local.get 0))
    catch $ti32
    end)
  (func (export "i64") (param i64) (result i64)
    try (result i64)
      (throw $ti64 (local.get 0))
    catch $ti64
    end)
  (func (export "f32") (param f32) (result f32)
    try (result f32)
      (throw $tf32 (local.get 0))
    catch $tf32
    end)
  (func (export "f64") (param f64) (result f64)
    try (result f64)
      (throw $tf64 (local.get 0))
    catch $tf64
    end)
  ;; Bit for bit, NaN payloads and signs included.
  (func (export "f32-bits") (param i32) (result i32)
    try (result f32)
      (throw $tf32 (f32.reinterpret_i32 (local.get 0)))
    catch $tf32
    end
    i32.reinterpret_f32)
  (func (export "f64-bits") (param i64) (result i64)
    try (result f64)
      (throw $tf64 (f64.reinterpret_i64 (local.get 0)))
    catch $tf64
    end
    i64.reinterpret_f64)
  (func (export "v128") (param i64 i64) (result i64 i64)
    (local $v v128)
    try (result v128)
      (throw $tv128
        (i64x2.replace_lane 1 (i64x2.splat (local.get 0)) (local.get 1)))
    catch $tv128
    end
    local.tee $v
    i64x2.extract_lane 0
    local.get $v
    i64x2.extract_lane 1)
  (func (export "v128-lanes") (result v128)
    try (result v128)
      (throw $tv128 (v128.const i32x4 1 -2 0x7fffffff 0x80000000))
    catch $tv128
    end)
  (func (export "funcref-null") (result i32)
    try (result funcref)
      (throw $tfunc (ref.null func))
    catch $tfunc
    end
    ref.is_null)
  (func (export "funcref-call") (param i32) (result i32)
    i32.const 0
    try (result funcref)
      (throw $tfunc
        (select (result funcref) (ref.func $forty-two) (ref.func $seven) (local.get 0)))
    catch $tfunc
    end
    table.set $t
    (call_indirect $t (type $fi) (i32.const 0)))
  (func (export "externref") (param externref) (result externref)
    try (result externref)
      (throw $text (local.get 0))
    catch $text
    end)
  ;; All of them in one exception.
  (func (export "all") (param i32 i64 f32 f64 i64 externref)
    (result i32 i64 f32 f64 i64 i32 externref)
    (local $v v128) (local $fn funcref) (local $x externref)
    try (result i32 i64 f32 f64 i64 i32 externref)
      (throw $tall
        (local.get 0) (local.get 1) (local.get 2) (local.get 3)
        (i64x2.splat (local.get 4)) (ref.func $forty-two) (local.get 5))
    catch $tall
      local.set $x
      local.set $fn
      local.set $v
      (i64x2.extract_lane 1 (local.get $v))
      (table.set $t (i32.const 1) (local.get $fn))
      (call_indirect $t (type $fi) (i32.const 1))
      local.get $x
    end)

  ;; One try with a clause for each tag: the clause of the thrown tag runs,
  ;; with that tag's payload. Results: which clause, and the payload as i64.
  (func (export "dispatch") (param i32) (result i32 i64)
    (local $v v128) (local $fn funcref)
    try (result i32 i64)
      block
        block
          block
            block
              block
                block
                  block
                    block
                      (br_table 0 1 2 3 4 5 6 7 (local.get 0))
                    end
                    (throw $ti32 (i32.const -3))
                  end
                  (throw $ti64 (i64.const -4))
                end
                (throw $tf32 (f32.const 2.5))
              end
              (throw $tf64 (f64.const -0.125))
            end
            (throw $tv128 (v128.const i64x2 11 12))
          end
          (throw $tfunc (ref.func $seven))
        end
        (throw $text (ref.null extern))
      end
      (throw $tnone)
    catch $tnone
      i32.const 9
      i64.const 0
    catch $text
      ref.is_null
      i64.extend_i32_u
      i64.const 70
      i64.add
      i32.const 7
      call $swap-i64-i32
    catch $tfunc
      local.set $fn
      (table.set $t (i32.const 2) (local.get $fn))
      (call_indirect $t (type $fi) (i32.const 2))
      i64.extend_i32_u
      i32.const 6
      call $swap-i64-i32
    catch $tv128
      local.tee $v
      i64x2.extract_lane 0
      local.get $v
      i64x2.extract_lane 1
      i64.add
      i32.const 5
      call $swap-i64-i32
    catch $tf64
      i64.reinterpret_f64
      i32.const 4
      call $swap-i64-i32
    catch $tf32
      i32.reinterpret_f32
      i64.extend_i32_u
      i32.const 3
      call $swap-i64-i32
    catch $ti64
      i32.const 2
      call $swap-i64-i32
    catch $ti32
      i64.extend_i32_s
      i32.const 1
      call $swap-i64-i32
    end)
  (func $swap-i64-i32 (param i64 i32) (result i32 i64)
    local.get 1
    local.get 0)
)

(assert_return (invoke "i32" (i32.const 0)) (i32.const 0))
(assert_return (invoke "i32" (i32.const 0x80000000)) (i32.const 0x80000000))
(assert_return (invoke "i64" (i64.const 0x8000000000000001)) (i64.const 0x8000000000000001))
(assert_return (invoke "i64" (i64.const -1)) (i64.const -1))
(assert_return (invoke "f32" (f32.const 1.5)) (f32.const 1.5))
(assert_return (invoke "f32" (f32.const -0x1p-149)) (f32.const -0x1p-149))
(assert_return (invoke "f32" (f32.const -inf)) (f32.const -inf))
(assert_return (invoke "f64" (f64.const 0x1.23456789abcdep+1000)) (f64.const 0x1.23456789abcdep+1000))
(assert_return (invoke "f64" (f64.const -0.0)) (f64.const -0.0))
(assert_return (invoke "f32-bits" (i32.const 0x7fa00001)) (i32.const 0x7fa00001))
(assert_return (invoke "f32-bits" (i32.const 0xffc00000)) (i32.const 0xffc00000))
(assert_return (invoke "f32-bits" (i32.const 0x80000000)) (i32.const 0x80000000))
(assert_return (invoke "f64-bits" (i64.const 0x7ff0000000000001)) (i64.const 0x7ff0000000000001))
(assert_return (invoke "f64-bits" (i64.const 0xfff8000000000123)) (i64.const 0xfff8000000000123))
(assert_return (invoke "v128" (i64.const 0x0102030405060708) (i64.const -2))
  (i64.const 0x0102030405060708) (i64.const -2))
(assert_return (invoke "v128-lanes") (v128.const i32x4 1 -2 0x7fffffff 0x80000000))
(assert_return (invoke "funcref-null") (i32.const 1))
(assert_return (invoke "funcref-call" (i32.const 1)) (i32.const 42))
(assert_return (invoke "funcref-call" (i32.const 0)) (i32.const 7))
(assert_return (invoke "externref" (ref.extern 17)) (ref.extern 17))
(assert_return (invoke "externref" (ref.null extern)) (ref.null extern))
(assert_return
  (invoke "all" (i32.const -7) (i64.const 0x123456789) (f32.const 0.5) (f64.const -3.25)
    (i64.const -9) (ref.extern 5))
  (i32.const -7) (i64.const 0x123456789) (f32.const 0.5) (f64.const -3.25)
  (i64.const -9) (i32.const 42) (ref.extern 5))
(assert_return (invoke "dispatch" (i32.const 0)) (i32.const 1) (i64.const -3))
(assert_return (invoke "dispatch" (i32.const 1)) (i32.const 2) (i64.const -4))
(assert_return (invoke "dispatch" (i32.const 2)) (i32.const 3) (i64.const 0x40200000))
(assert_return (invoke "dispatch" (i32.const 3)) (i32.const 4) (i64.const 0xbfc0000000000000))
(assert_return (invoke "dispatch" (i32.const 4)) (i32.const 5) (i64.const 23))
(assert_return (invoke "dispatch" (i32.const 5)) (i32.const 6) (i64.const 7))
(assert_return (invoke "dispatch" (i32.const 6)) (i32.const 7) (i64.const 71))
(assert_return (invoke "dispatch" (i32.const 7)) (i32.const 9) (i64.const 0))
(assert_return (invoke "dispatch" (i32.const 100)) (i32.const 9) (i64.const 0))

;; ---------------------------------------------------------------------------
;; Exceptions from callees: several frames deep, through call_indirect and
;; call_ref, and tail calls (a tail call leaves the try it is made from)

(module $calls
  (type $v (func (param i32)))
  (type $i (func (param i32) (result i32)))
  (tag $e (param i32))
  (tag $other (param i32))
  (global $count (mut i32) (i32.const 0))
  (table $tab 4 funcref)
  (elem (table $tab) (i32.const 0) func $thrower $thrower-i32 $returner-i32 $catcher-i32)
  (elem declare func $thrower $thrower-i32 $returner-i32)

  (func $thrower (param i32) (throw $e (local.get 0)))
  (func $thrower-i32 (param i32) (result i32) (throw $e (local.get 0)))
  (func $returner-i32 (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func $catcher-i32 (param i32) (result i32)
    try (result i32)
      (call $thrower-i32 (local.get 0))
    catch $e
      i32.const 2
      i32.mul
    end)

  ;; $n frames down, each with a try whose clause does not match.
  (func $down (param $n i32) (param $v i32)
    (if (i32.eqz (local.get $n)) (then (throw $e (local.get $v))))
    try
      (call $down (i32.sub (local.get $n) (i32.const 1)) (local.get $v))
    catch $other
      drop
    end)
  (func (export "deep") (param i32 i32) (result i32)
    try (result i32)
      (call $down (local.get 0) (local.get 1))
      i32.const -1
    catch $e
    end)
  (func (export "deep-uncaught") (param i32)
    (call $down (local.get 0) (i32.const 0)))

  ;; $n frames down, each catching everything, counting, and rethrowing.
  (func $down-rethrow (param $n i32) (param $v i32)
    (if (i32.eqz (local.get $n)) (then (throw $e (local.get $v))))
    try
      (call $down-rethrow (i32.sub (local.get $n) (i32.const 1)) (local.get $v))
    catch_all
      (global.set $count (i32.add (global.get $count) (i32.const 1)))
      rethrow 0
    end)
  (func (export "deep-rethrow") (param i32 i32) (result i32 i32)
    (global.set $count (i32.const 0))
    try (result i32)
      (call $down-rethrow (local.get 0) (local.get 1))
      i32.const -1
    catch $e
    end
    global.get $count)

  ;; $n frames down, each delegating to its caller.
  (func $down-delegate (param $n i32) (param $v i32)
    (if (i32.eqz (local.get $n)) (then (throw $e (local.get $v))))
    try
      try
        (call $down-delegate (i32.sub (local.get $n) (i32.const 1)) (local.get $v))
      delegate 1
    catch_all
      (global.set $count (i32.add (global.get $count) (i32.const 1)))
    end)
  (func (export "deep-delegate") (param i32 i32) (result i32 i32)
    (global.set $count (i32.const 0))
    try (result i32)
      (call $down-delegate (local.get 0) (local.get 1))
      i32.const -1
    catch $e
    end
    global.get $count)

  (func (export "indirect") (param i32) (result i32)
    try (result i32)
      (call_indirect $tab (type $v) (local.get 0) (i32.const 0))
      i32.const -1
    catch $e
      i32.const 100
      i32.add
    end)
  (func (export "indirect-select") (param i32 i32) (result i32)
    ;; table slot $1: 1 throws, 2 returns, 3 catches inside
    try (result i32)
      (call_indirect $tab (type $i) (local.get 0) (local.get 1))
    catch $e
      i32.const 100
      i32.add
    end)
  (func (export "call-ref") (param i32) (result i32)
    try (result i32)
      (call_ref $v (local.get 0) (ref.func $thrower))
      i32.const -1
    catch $e
      i32.const 200
      i32.add
    end)
  (func (export "call-ref-i32") (param i32 i32) (result i32)
    try (result i32)
      (call_ref $i (local.get 1)
        (select (result (ref $i)) (ref.func $thrower-i32) (ref.func $returner-i32)
          (local.get 0)))
    catch $e
      i32.const 200
      i32.add
    end)

  ;; Tail calls from a try body: the callee's exception does not come back
  ;; to this try (the frame and its handlers are gone).
  (func $tail (export "tail") (param i32) (result i32)
    try (result i32)
      local.get 0
      return_call $thrower-i32
    catch_all
      i32.const -1
    end)
  (func $tail-indirect (export "tail-indirect") (param i32 i32) (result i32)
    try (result i32)
      local.get 0
      local.get 1
      return_call_indirect $tab (type $i)
    catch_all
      i32.const -1
    end)
  (func $tail-ref (export "tail-ref") (param i32) (result i32)
    try (result i32)
      local.get 0
      ref.func $thrower-i32
      return_call_ref $i
    catch_all
      i32.const -1
    end)
  ;; Tail call from inside a catch clause: also leaves the function.
  (func $tail-from-catch (param i32) (result i32)
    try (result i32)
      (throw $other (local.get 0))
    catch $other
      return_call $thrower-i32
    catch_all
      i32.const -1
    end)
  (func (export "call-tail") (param i32 i32) (result i32)
    try (result i32)
      block $3
        block $2
          block $1
            block $0
              (br_table $0 $1 $2 $3 (local.get 0))
            end
            (return (call $tail (local.get 1)))
          end
          (return (call $tail-indirect (local.get 1) (i32.const 1)))
        end
        (return (call $tail-ref (local.get 1)))
      end
      (call $tail-from-catch (local.get 1))
    catch $e
      i32.const 1000
      i32.add
    end)
  ;; A tail call that returns normally; and one into a function that catches.
  (func (export "tail-returns") (param i32) (result i32)
    try (result i32)
      local.get 0
      return_call $returner-i32
    catch_all
      i32.const -1
    end)
  (func (export "tail-into-catcher") (param i32) (result i32)
    try (result i32)
      local.get 0
      i32.const 3
      return_call_indirect $tab (type $i)
    catch_all
      i32.const -1
    end)
)

(assert_return (invoke "deep" (i32.const 0) (i32.const 5)) (i32.const 5))
(assert_return (invoke "deep" (i32.const 1) (i32.const 6)) (i32.const 6))
(assert_return (invoke "deep" (i32.const 10) (i32.const 7)) (i32.const 7))
(assert_return (invoke "deep" (i32.const 1000) (i32.const 8)) (i32.const 8)) ;; (V8 only: deeper than binaryen allows)
(assert_exception (invoke "deep-uncaught" (i32.const 5)))
(assert_exception (invoke "deep-uncaught" (i32.const 500))) ;; (V8 only: deeper than binaryen allows)
(assert_return (invoke "deep-rethrow" (i32.const 0) (i32.const 3)) (i32.const 3) (i32.const 0))
(assert_return (invoke "deep-rethrow" (i32.const 5) (i32.const 4)) (i32.const 4) (i32.const 5))
(assert_return (invoke "deep-rethrow" (i32.const 300) (i32.const 9)) (i32.const 9) (i32.const 300)) ;; (V8 only: deeper than binaryen allows)
(assert_return (invoke "deep-delegate" (i32.const 0) (i32.const 3)) (i32.const 3) (i32.const 0))
(assert_return (invoke "deep-delegate" (i32.const 5) (i32.const 4)) (i32.const 4) (i32.const 0))
(assert_return (invoke "deep-delegate" (i32.const 300) (i32.const 4)) (i32.const 4) (i32.const 0)) ;; (V8 only: deeper than binaryen allows)
(assert_return (invoke "indirect" (i32.const 7)) (i32.const 107))
(assert_return (invoke "indirect-select" (i32.const 7) (i32.const 1)) (i32.const 107))
(assert_return (invoke "indirect-select" (i32.const 7) (i32.const 2)) (i32.const 8))
(assert_return (invoke "indirect-select" (i32.const 7) (i32.const 3)) (i32.const 14))
(assert_trap (invoke "indirect-select" (i32.const 7) (i32.const 0)) "indirect call type mismatch")
(assert_return (invoke "call-ref" (i32.const 8)) (i32.const 208))
(assert_return (invoke "call-ref-i32" (i32.const 1) (i32.const 9)) (i32.const 209))
(assert_return (invoke "call-ref-i32" (i32.const 0) (i32.const 9)) (i32.const 10))
(assert_exception (invoke "tail" (i32.const 1)))
(assert_exception (invoke "tail-indirect" (i32.const 1) (i32.const 1)))
(assert_exception (invoke "tail-ref" (i32.const 1)))
(assert_return (invoke "call-tail" (i32.const 0) (i32.const 5)) (i32.const 1005))
(assert_return (invoke "call-tail" (i32.const 1) (i32.const 6)) (i32.const 1006))
(assert_return (invoke "call-tail" (i32.const 2) (i32.const 7)) (i32.const 1007))
(assert_return (invoke "call-tail" (i32.const 3) (i32.const 8)) (i32.const 1008))
(assert_return (invoke "tail-indirect" (i32.const 4) (i32.const 2)) (i32.const 5))
(assert_return (invoke "tail-returns" (i32.const 41)) (i32.const 42))
(assert_return (invoke "tail-into-catcher" (i32.const 21)) (i32.const 42))

;; ---------------------------------------------------------------------------
;; rethrow

(module $rethrow
  (tag $e0)
  (tag $e1 (param i32))
  (tag $e2 (param i32))
  (global $count (mut i32) (i32.const 0))
  (func $throw1 (param i32) (throw $e1 (local.get 0)))

  ;; Depth 0 from a tagged catch: same tag, same payload.
  (func (export "rethrow-0") (param i32) (result i32)
    try (result i32)
      try (result i32)
        local.get 0
        throw $e1
      catch $e1
        drop
        rethrow 0
      end
    catch $e1
    end)
  ;; From catch_all: the tag and payload are kept.
  (func (export "rethrow-catch-all") (param i32) (result i32)
    try (result i32)
      try (result i32)
        (throw $e2 (local.get 0))
      catch_all
        rethrow 0
      end
    catch $e1
      drop
      i32.const -1
    catch $e2
    end)
  ;; Rethrown from a callee's exception, out of the function.
  (func $rethrow-callee (export "rethrow-uncaught") (param i32)
    try
      (call $throw1 (local.get 0))
    catch $e1
      drop
      rethrow 0
    end)
  (func (export "rethrow-to-caller") (param i32) (result i32)
    try (result i32)
      (call $rethrow-callee (local.get 0))
      i32.const -1
    catch $e1
      i32.const 1
      i32.add
    end)

  ;; Depth > 0: from the catch of an inner try, rethrow the exception of
  ;; the outer one. $0: 0 rethrows the inner exception ($e2 2), otherwise
  ;; the outer one ($e1 1).
  (func (export "rethrow-outer") (param i32) (result i32)
    try (result i32)
      try (result i32)
        (throw $e1 (i32.const 1))
      catch $e1
        drop
        try (result i32)
          (throw $e2 (i32.const 2))
        catch $e2
          drop
          local.get 0
          if
            rethrow 2
          end
          rethrow 0
        end
      end
    catch $e1
      i32.const 100
      i32.add
    catch $e2
      i32.const 200
      i32.add
    end)
  ;; The same with labels, the inner try in a catch_all.
  (func (export "rethrow-outer-named") (param i32) (result i32)
    try (result i32)
      try $a (result i32)
        (throw $e1 (i32.const 3))
      catch_all
        try $b (result i32)
          (throw $e2 (i32.const 4))
        catch_all
          local.get 0
          if
            rethrow $a
          end
          rethrow $b
        end
      end
    catch $e1
      i32.const 100
      i32.add
    catch $e2
      i32.const 200
      i32.add
    end)
  ;; Rethrow inside nested block, loop and if within the catch.
  (func (export "rethrow-nested-blocks") (param i32) (result i32)
    try (result i32)
      try
        (throw $e1 (local.get 0))
      catch_all
        block
          loop
            block (result i32)
              local.get 0
              i32.eqz
              if
                rethrow 4
              end
              rethrow 3
            end
            drop
          end
        end
      end
      i32.const -1
    catch $e1
      i32.const 1000
      i32.add
    end)
  ;; A rethrow in the body of a try that is itself in the catch: that try
  ;; catches it.
  (func (export "rethrow-in-inner-try-body") (param i32) (result i32)
    try (result i32)
      (throw $e1 (local.get 0))
    catch $e1
      drop
      try (result i32)
        rethrow 1
      catch $e2
        drop
        i32.const -1
      catch $e1
        i32.const 10
        i32.add
      end
    end)
  ;; After an inner exception was caught and handled inside the catch,
  ;; rethrow 0 still rethrows the outer catch's exception.
  (func (export "rethrow-after-inner") (param i32) (result i32)
    try (result i32)
      try
        (throw $e1 (local.get 0))
      catch $e1
        drop
        try
          (throw $e2 (i32.const 99))
        catch $e2
          drop
        end
        rethrow 0
      end
      i32.const -1
    catch $e2
      drop
      i32.const -2
    catch $e1
    end)
  ;; The same exception rethrown twice, caught in between.
  (func (export "rethrow-twice") (param i32) (result i32 i32)
    (global.set $count (i32.const 0))
    try (result i32)
      try
        (throw $e1 (local.get 0))
      catch $e1
        drop
        try
          rethrow 1
        catch $e1
          drop
          (global.set $count (i32.add (global.get $count) (i32.const 1)))
        end
        (global.set $count (i32.add (global.get $count) (i32.const 10)))
        rethrow 0
      end
      i32.const -1
    catch $e1
    end
    global.get $count)
  ;; Rethrowing the outer exception from a catch that caught it again.
  (func (export "rethrow-recaught") (param i32) (result i32)
    try (result i32)
      try
        (throw $e1 (local.get 0))
      catch_all
        try
          rethrow 1
        catch_all
          rethrow 0
        end
      end
      i32.const -1
    catch $e1
    end)
  ;; Payload-less tag.
  (func (export "rethrow-no-payload") (result i32)
    try (result i32)
      try
        throw $e0
      catch $e0
        rethrow 0
      end
      i32.const -1
    catch $e0
      i32.const 5
    end)
)

(assert_return (invoke "rethrow-0" (i32.const 42)) (i32.const 42))
(assert_return (invoke "rethrow-catch-all" (i32.const 43)) (i32.const 43))
(assert_exception (invoke "rethrow-uncaught" (i32.const 1)))
(assert_return (invoke "rethrow-to-caller" (i32.const 44)) (i32.const 45))
(assert_return (invoke "rethrow-outer" (i32.const 0)) (i32.const 202))
(assert_return (invoke "rethrow-outer" (i32.const 1)) (i32.const 101))
(assert_return (invoke "rethrow-outer-named" (i32.const 0)) (i32.const 204))
(assert_return (invoke "rethrow-outer-named" (i32.const 1)) (i32.const 103))
(assert_return (invoke "rethrow-nested-blocks" (i32.const 0)) (i32.const 1000))
(assert_return (invoke "rethrow-nested-blocks" (i32.const 7)) (i32.const 1007))
(assert_return (invoke "rethrow-in-inner-try-body" (i32.const 5)) (i32.const 15))
(assert_return (invoke "rethrow-after-inner" (i32.const 6)) (i32.const 6))
(assert_return (invoke "rethrow-twice" (i32.const 7)) (i32.const 7) (i32.const 11))
(assert_return (invoke "rethrow-recaught" (i32.const 8)) (i32.const 8))
(assert_return (invoke "rethrow-no-payload") (i32.const 5))

;; ---------------------------------------------------------------------------
;; delegate

(module $delegate
  (tag $e1 (param i32))
  (tag $e2 (param i32))
  (func $throw1 (param i32) (throw $e1 (local.get 0)))
  (func $throw2 (param i32) (throw $e2 (local.get 0)))

  ;; To an enclosing try: its clauses apply.
  (func (export "to-try") (param i32) (result i32)
    try $outer (result i32)
      try (result i32)
        (call $throw1 (local.get 0))
        i32.const -1
      delegate $outer
    catch $e1
      i32.const 100
      i32.add
    end)
  (func (export "to-try-no-throw") (result i32)
    try $outer (result i32)
      try (result i32)
        i32.const 5
      delegate $outer
    catch_all
      i32.const -1
    end)
  (func (export "to-try-direct-throw") (param i32) (result i32)
    try (result i32)
      try (result i32)
        local.get 0
        throw $e1
      delegate 0
    catch $e1
      i32.const 100
      i32.add
    end)
  ;; Params and results.
  (func (export "params") (param i32) (result i32)
    try $outer (result i32)
      local.get 0
      i32.const 10
      try (param i32 i32) (result i32)
        i32.mul
        local.tee 0
        i32.const 50
        i32.gt_s
        if
          (throw $e1 (local.get 0))
        end
        local.get 0
      delegate $outer
    catch $e1
      i32.const 1000
      i32.add
    end)
  ;; The delegate skips the try between it and its target.
  (func (export "skips-middle") (param i32) (result i32)
    try $outer (result i32)
      try (result i32)
        try (result i32)
          (call $throw1 (local.get 0))
          i32.const -1
        delegate $outer
      catch_all
        i32.const -2
      end
    catch $e1
      i32.const 200
      i32.add
    end)
  ;; The target's clauses do not match: on outwards.
  (func (export "target-no-match") (param i32) (result i32)
    try (result i32)
      try $t (result i32)
        try (result i32)
          (call $throw1 (local.get 0))
          i32.const -1
        delegate $t
      catch $e2
        drop
        i32.const -2
      end
    catch $e1
      i32.const 300
      i32.add
    end)
  ;; A target without clauses: on outwards.
  (func (export "target-no-clauses") (param i32) (result i32)
    try (result i32)
      try $t (result i32)
        try (result i32)
          (call $throw1 (local.get 0))
          i32.const -1
        delegate $t
      end
    catch $e1
      i32.const 310
      i32.add
    end)
  ;; To a plain block: the next handler outside it applies (not the try
  ;; inside the block).
  (func (export "to-block") (param i32) (result i32)
    try (result i32)
      block $b (result i32)
        try (result i32)
          try (result i32)
            (call $throw1 (local.get 0))
            i32.const -1
          delegate $b
        catch_all
          i32.const -2
        end
      end
    catch $e1
      i32.const 400
      i32.add
    end)
  ;; To a loop.
  (func (export "to-loop") (param i32) (result i32)
    try (result i32)
      loop $l (result i32)
        try (result i32)
          try (result i32)
            (call $throw1 (local.get 0))
            i32.const -1
          delegate $l
        catch_all
          i32.const -2
        end
      end
    catch $e1
      i32.const 410
      i32.add
    end)
  ;; To the function's label: straight to the caller, past the catch_all.
  (func $to-caller (export "to-caller-uncaught") (param i32) (result i32)
    try (result i32)
      try (result i32)
        (call $throw1 (local.get 0))
        i32.const -1
      delegate 1
    catch_all
      i32.const -2
    end)
  (func (export "to-caller") (param i32) (result i32)
    try (result i32)
      (call $to-caller (local.get 0))
    catch $e1
      i32.const 500
      i32.add
    end)
  ;; A try-delegate at the top of the function: its label 0 is the
  ;; function's.
  (func $top (export "top-uncaught") (param i32)
    try
      (call $throw1 (local.get 0))
    delegate 0)
  (func (export "top") (param i32) (result i32)
    try (result i32)
      (call $top (local.get 0))
      i32.const -1
    catch $e1
      i32.const 510
      i32.add
    end)
  ;; From inside a catch to that catch's own try: those clauses are behind
  ;; us, the next outer handler applies.
  (func (export "from-catch") (param i32) (result i32)
    try (result i32)
      try $t (result i32)
        (throw $e2 (i32.const 0))
      catch $e2
        drop
        try (result i32)
          (call $throw1 (local.get 0))
          i32.const -1
        delegate $t
      catch $e1
        drop
        i32.const -2
      catch_all
        i32.const -3
      end
    catch $e1
      i32.const 600
      i32.add
    end)
  ;; Chains: a try-delegate delegating to a try-delegate.
  (func (export "chain") (param i32) (result i32)
    try $a (result i32)
      try $b (result i32)
        try $c (result i32)
          try (result i32)
            (call $throw1 (local.get 0))
            i32.const -1
          delegate $c
        delegate $b
      delegate $a
    catch $e1
      i32.const 700
      i32.add
    end)
  (func (export "chain-skip") (param i32) (result i32)
    try $a (result i32)
      try (result i32)
        try $c (result i32)
          try (result i32)
            (call $throw1 (local.get 0))
            i32.const -1
          delegate $c
        delegate $a
      catch_all
        i32.const -2
      end
    catch $e1
      i32.const 800
      i32.add
    end)
  (func $chain-out (export "chain-to-caller-uncaught") (param i32) (result i32)
    try (result i32)
      try $b (result i32)
        try (result i32)
          (call $throw1 (local.get 0))
          i32.const -1
        delegate $b
      delegate 1
    catch_all
      i32.const -2
    end)
  (func (export "chain-to-caller") (param i32) (result i32)
    try (result i32)
      (call $chain-out (local.get 0))
    catch $e1
      i32.const 900
      i32.add
    end)
  ;; Delegated, then caught and rethrown, then caught again.
  (func (export "delegate-rethrow") (param i32) (result i32)
    try (result i32)
      try $t (result i32)
        try (result i32)
          (call $throw2 (local.get 0))
          i32.const -1
        delegate $t
      catch_all
        rethrow 0
      end
    catch $e2
      i32.const 1100
      i32.add
    end)
  ;; Several try-delegates in a row, to different targets.
  (func (export "sequence") (param i32) (result i32)
    (local $acc i32)
    try $outer
      block $b
        try $t
          try
            (call $throw1 (i32.const 1))
          delegate $t
        catch $e1
          local.set $acc
        end
        try
          try
            (call $throw1 (i32.const 20))
          delegate $b
        catch_all
          (local.set $acc (i32.const -1000))
        end
      end
    catch $e1
      local.get $acc
      i32.add
      local.set $acc
    end
    local.get $acc)
)

(assert_return (invoke "to-try" (i32.const 1)) (i32.const 101))
(assert_return (invoke "to-try-no-throw") (i32.const 5))
(assert_return (invoke "to-try-direct-throw" (i32.const 2)) (i32.const 102))
(assert_return (invoke "params" (i32.const 3)) (i32.const 30))
(assert_return (invoke "params" (i32.const 6)) (i32.const 1060))
(assert_return (invoke "skips-middle" (i32.const 3)) (i32.const 203))
(assert_return (invoke "target-no-match" (i32.const 4)) (i32.const 304))
(assert_return (invoke "target-no-clauses" (i32.const 5)) (i32.const 315))
(assert_return (invoke "to-block" (i32.const 5)) (i32.const 405))
(assert_return (invoke "to-loop" (i32.const 6)) (i32.const 416))
(assert_exception (invoke "to-caller-uncaught" (i32.const 6)))
(assert_return (invoke "to-caller" (i32.const 6)) (i32.const 506))
(assert_exception (invoke "top-uncaught" (i32.const 7)))
(assert_return (invoke "top" (i32.const 7)) (i32.const 517))
(assert_return (invoke "from-catch" (i32.const 7)) (i32.const 607))
(assert_return (invoke "chain" (i32.const 8)) (i32.const 708))
(assert_return (invoke "chain-skip" (i32.const 9)) (i32.const 809))
(assert_exception (invoke "chain-to-caller-uncaught" (i32.const 9)))
(assert_return (invoke "chain-to-caller" (i32.const 9)) (i32.const 909))
(assert_return (invoke "delegate-rethrow" (i32.const 10)) (i32.const 1110))
(assert_return (invoke "sequence" (i32.const 0)) (i32.const 21))

;; ---------------------------------------------------------------------------
;; br and return out of try bodies and catch clauses

(module $branch
  (tag $e1 (param i32))
  (tag $e2 (param i32))
  (func $throw1 (param i32) (throw $e1 (local.get 0)))

  ;; Once a branch has left a try, its handler no longer applies.
  (func (export "br-out-of-body") (param i32) (result i32)
    try (result i32)
      block $b
        try
          br $b
        catch_all
          (return (i32.const -1))
        end
      end
      (call $throw1 (local.get 0))
      i32.const 0
    catch $e1
    end)
  (func (export "br-if-out-of-body") (param i32) (result i32)
    try (result i32)
      block $b (result i32)
        try (result i32)
          i32.const 10
          local.get 0
          br_if $b
          drop
          (call $throw1 (i32.const 20))
          i32.const -1
        catch $e1
        end
      end
      local.get 0
      if
        (call $throw1 (i32.const 30))
      end
    catch $e1
      i32.const 1
      i32.add
    end)
  ;; To the try's own label.
  (func (export "br-to-try-label") (param i32) (result i32)
    try $t (result i32)
      i32.const 5
      local.get 0
      br_if $t
      drop
      (call $throw1 (i32.const 6))
      i32.const -1
    catch_all
      i32.const 7
    end)
  (func (export "br-table-out") (param i32) (result i32)
    block $b0 (result i32)
      block $b1 (result i32)
        try (result i32)
          i32.const 10
          local.get 0
          br_table 0 $b1 $b0
        catch_all
          i32.const -1
        end
        i32.const 1
        i32.add
      end
      i32.const 2
      i32.add
    end)
  (func (export "return-from-body") (param i32) (result i32)
    try (result i32)
      try
        local.get 0
        return
      catch_all
      end
      i32.const -1
    catch_all
      i32.const -2
    end)
  ;; Out of a catch clause, with the payload as the block's value.
  (func (export "br-out-of-catch") (param i32) (result i32)
    block $b (result i32)
      try (result i32)
        (call $throw1 (local.get 0))
        i32.const -1
      catch $e1
        br $b
      end
      i32.const 1000
      i32.add
    end)
  ;; After leaving a catch by br, a new exception goes to the outer handler.
  (func (export "br-out-of-catch-then-throw") (param i32) (result i32)
    try (result i32)
      block $b
        try
          (call $throw1 (i32.const 1))
        catch $e1
          drop
          br $b
        catch_all
        end
      end
      (throw $e2 (local.get 0))
    catch $e1
      drop
      i32.const -1
    catch $e2
      i32.const 2
      i32.mul
    end)
  (func (export "br-out-of-catch-all") (param i32) (result i32)
    block $b (result i32)
      try
        (call $throw1 (local.get 0))
      catch_all
        i32.const 77
        br $b
      end
      i32.const -1
    end)
  (func (export "br-to-try-label-from-catch") (param i32) (result i32)
    try $t (result i32)
      (call $throw1 (local.get 0))
      i32.const -1
    catch $e1
      i32.const 3
      i32.add
      br $t
    end)
  (func (export "return-from-catch") (param i32) (result i32)
    try
      (call $throw1 (local.get 0))
    catch $e1
      i32.const 1
      i32.add
      return
    end
    i32.const -1)
  (func (export "return-from-nested-catch") (param i32) (result i32)
    try
      try
        (call $throw1 (local.get 0))
      catch $e1
        local.set 0
        try
          (throw $e2 (i32.const 1))
        catch $e2
          local.get 0
          i32.add
          return
        end
      end
    catch_all
    end
    i32.const -1)
  ;; A loop that enters the try again and again; br_if back from the catch.
  (func (export "loop-catch") (param $n i32) (result i32)
    (local $i i32) (local $sum i32)
    loop $l
      try
        (call $throw1 (local.get $i))
      catch $e1
        local.get $sum
        i32.add
        local.set $sum
        (local.tee $i (i32.add (local.get $i) (i32.const 1)))
        local.get $n
        i32.lt_u
        br_if $l
      end
    end
    local.get $sum)
  ;; A loop inside the try body, branching around inside it.
  (func (export "loop-in-body") (param $n i32) (result i32)
    (local $i i32)
    try (result i32)
      loop $l
        (local.tee $i (i32.add (local.get $i) (i32.const 1)))
        local.get $n
        i32.ge_u
        if
          (call $throw1 (i32.mul (local.get $i) (i32.const 10)))
        end
        br $l
      end
      i32.const -1
    catch $e1
    end)
)

(assert_return (invoke "br-out-of-body" (i32.const 3)) (i32.const 3))
(assert_return (invoke "br-if-out-of-body" (i32.const 0)) (i32.const 20))
(assert_return (invoke "br-if-out-of-body" (i32.const 1)) (i32.const 31))
(assert_return (invoke "br-to-try-label" (i32.const 1)) (i32.const 5))
(assert_return (invoke "br-to-try-label" (i32.const 0)) (i32.const 7))
(assert_return (invoke "br-table-out" (i32.const 0)) (i32.const 13))
(assert_return (invoke "br-table-out" (i32.const 1)) (i32.const 12))
(assert_return (invoke "br-table-out" (i32.const 2)) (i32.const 10))
(assert_return (invoke "br-table-out" (i32.const 9)) (i32.const 10))
(assert_return (invoke "return-from-body" (i32.const 4)) (i32.const 4))
(assert_return (invoke "br-out-of-catch" (i32.const 4)) (i32.const 4))
(assert_return (invoke "br-out-of-catch-then-throw" (i32.const 5)) (i32.const 10))
(assert_return (invoke "br-out-of-catch-all" (i32.const 5)) (i32.const 77))
(assert_return (invoke "br-to-try-label-from-catch" (i32.const 5)) (i32.const 8))
(assert_return (invoke "return-from-catch" (i32.const 6)) (i32.const 7))
(assert_return (invoke "return-from-nested-catch" (i32.const 6)) (i32.const 7))
(assert_return (invoke "loop-catch" (i32.const 0)) (i32.const 0))
(assert_return (invoke "loop-catch" (i32.const 5)) (i32.const 10))
(assert_return (invoke "loop-catch" (i32.const 100)) (i32.const 4950))
(assert_return (invoke "loop-in-body" (i32.const 1)) (i32.const 10))
(assert_return (invoke "loop-in-body" (i32.const 9)) (i32.const 90))

;; ---------------------------------------------------------------------------
;; Unreachable code containing try, catch, delegate and rethrow

(module $dead
  (tag $e1 (param i32))
  (tag $e2 (param i32 i64))

  (func (export "after-unreachable") (result i32)
    unreachable
    try (result i32)
      i32.const 1
    catch $e1
      rethrow 0
    catch_all
      i32.const 2
    end
    try
      (throw $e1 (i32.const 3))
    delegate 0
    try (param i32) (result i32)
    catch $e1
    end)
  (func (export "after-return") (result i32)
    i32.const 9
    return
    try (result i32)
      (throw $e1 (i32.const 3))
    catch $e1
      rethrow 0
    end
    try (result i64)
      i64.const 0
    delegate 0
    drop)
  (func (export "after-br-in-body") (result i32)
    try $t (result i32)
      i32.const 1
      br $t
      try
        (throw $e1 (i32.const 2))
      delegate $t
      try (result i32)
        i32.const 3
      catch_all
        rethrow 0
      end
    catch $e1
      drop
      i32.const -1
    end)
  ;; Unreachable code in a catch clause, on a polymorphic stack.
  (func (export "after-return-in-catch") (result i32)
    try (result i32)
      (throw $e1 (i32.const 4))
    catch $e1
      return
      rethrow 0
      i32.add
      try (param i32 i32) (result i32)
        drop
      delegate 0
    end)
  (func (export "after-rethrow") (result i32)
    try (result i32)
      try (result i32)
        (throw $e1 (i32.const 5))
      catch $e1
        drop
        rethrow 0
        i64.add
        i32.wrap_i64
        try (result i32 i64)
          unreachable
        catch $e2
        end
        drop
        i32.add
      end
    catch $e1
    end)
  (func (export "after-throw") (result i32 i64)
    try (result i32 i64)
      (throw $e1 (i32.const 6))
      try
        unreachable
        throw $e1
      delegate 0
    catch $e1
      i64.const 60
    end)
  (func (export "dead-catch-clauses") (result i32)
    try (result i32)
      i32.const 7
    catch $e1
      unreachable
    catch $e2
      unreachable
    catch_all
      unreachable
    end)
  ;; A trap inside a try body is not caught.
  (func (export "unreachable-in-try") (result i32)
    try (result i32)
      unreachable
    catch_all
      i32.const 1
    end)
)

(assert_trap (invoke "after-unreachable") "unreachable")
(assert_return (invoke "after-return") (i32.const 9))
(assert_return (invoke "after-br-in-body") (i32.const 1))
(assert_return (invoke "after-return-in-catch") (i32.const 4))
(assert_return (invoke "after-rethrow") (i32.const 5))
(assert_return (invoke "after-throw") (i32.const 6) (i64.const 60))
(assert_return (invoke "dead-catch-clauses") (i32.const 7))
(assert_trap (invoke "unreachable-in-try") "unreachable")

;; ---------------------------------------------------------------------------
;; State seen by a catch: locals, memory and globals as the throw left them;
;; large payloads kept through rethrow

(module $state
  (memory 1)
  (global $g (mut i64) (i64.const 0))
  (tag $e (param i32))
  (tag $big (param i32 i64 f32 f64 i32 i64 f32 f64 v128 i32 i64 f64))
  (func $throw-at (param $i i32) (param $at i32)
    (if (i32.eq (local.get $i) (local.get $at)) (then (throw $e (local.get $i)))))

  ;; Locals changed in the try body before the throw (in a loop) keep
  ;; their values in the catch; the changes after it never happen.
  (func (export "locals") (param $n i32) (result i32 i64 f64 i64)
    (local $i i32) (local $a i64) (local $f f64) (local $v v128)
    try
      loop $l
        (local.set $a (i64.add (local.get $a) (i64.extend_i32_u (local.get $i))))
        (local.set $f (f64.add (local.get $f) (f64.const 0.5)))
        (local.set $v (i64x2.add (local.get $v) (v128.const i64x2 1 2)))
        (call $throw-at (local.get $i) (local.get $n))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        br $l
      end
    catch $e
      (local.set $a (i64.add (local.get $a) (i64.const 1000)))
      drop
    end
    local.get $i
    local.get $a
    local.get $f
    (i64x2.extract_lane 1 (local.get $v)))
  ;; Memory and globals written before the throw, in this frame and in
  ;; callees.
  (func $store-and-throw (param i32)
    (i32.store (i32.const 8) (local.get 0))
    (global.set $g (i64.extend_i32_u (local.get 0)))
    (throw $e (i32.const 0)))
  (func (export "memory-and-global") (param i32) (result i32 i64 i32)
    try
      (i32.store (i32.const 0) (i32.const 11))
      (call $store-and-throw (local.get 0))
      (i32.store (i32.const 0) (i32.const 22))
    catch_all
    end
    (i32.load (i32.const 0))
    global.get $g
    (i32.load (i32.const 8)))

  ;; Twelve values of all numeric types and a v128, caught, rethrown twice
  ;; (once from catch_all) and caught again.
  (func (export "big") (param i32) (result i64 f64)
    (local $acc i64) (local $facc f64)
    (local $b1 i32) (local $b2 i32) (local $b3 i32)
    (local $a1 i64) (local $a2 i64) (local $a3 i64)
    (local $s1 f32) (local $s2 f32)
    (local $f1 f64) (local $f2 f64) (local $f3 f64)
    (local $v v128)
    try
      try
        try
          (throw $big
            (local.get 0) (i64.const 2) (f32.const 3) (f64.const 4)
            (i32.const 5) (i64.const 6) (f32.const 7) (f64.const 8)
            (v128.const i32x4 9 10 11 12) (i32.const 13) (i64.const 14) (f64.const 15))
        catch_all
          rethrow 0
        end
      catch $big
        drop drop drop drop drop drop drop drop drop drop drop drop
        rethrow 0
      end
    catch $big
      local.set $f1
      local.set $a1
      local.set $b1
      local.set $v
      local.set $f2
      local.set $s1
      local.set $a2
      local.set $b2
      local.set $f3
      local.set $s2
      local.set $a3
      local.set $b3
    end
    ;; digits in base 100 and base 16, in payload order
      (local.set $acc (i64.add (i64.mul (local.get $acc) (i64.const 100)) (i64.extend_i32_u (local.get $b3))))
      (local.set $acc (i64.add (i64.mul (local.get $acc) (i64.const 100)) (local.get $a3)))
      (local.set $acc (i64.add (i64.mul (local.get $acc) (i64.const 100)) (i64.extend_i32_u (local.get $b2))))
      (local.set $acc (i64.add (i64.mul (local.get $acc) (i64.const 100)) (local.get $a2)))
      (local.set $acc (i64.add (i64.mul (local.get $acc) (i64.const 100)) (i64.extend_i32_u (i32x4.extract_lane 0 (local.get $v)))))
      (local.set $acc (i64.add (i64.mul (local.get $acc) (i64.const 100)) (i64.extend_i32_u (i32x4.extract_lane 3 (local.get $v)))))
      (local.set $acc (i64.add (i64.mul (local.get $acc) (i64.const 100)) (i64.extend_i32_u (local.get $b1))))
      (local.set $acc (i64.add (i64.mul (local.get $acc) (i64.const 100)) (local.get $a1)))
      (local.set $facc (f64.add (f64.mul (local.get $facc) (f64.const 16)) (f64.promote_f32 (local.get $s2))))
      (local.set $facc (f64.add (f64.mul (local.get $facc) (f64.const 16)) (local.get $f3)))
      (local.set $facc (f64.add (f64.mul (local.get $facc) (f64.const 16)) (f64.promote_f32 (local.get $s1))))
      (local.set $facc (f64.add (f64.mul (local.get $facc) (f64.const 16)) (local.get $f2)))
      (local.set $facc (f64.add (f64.mul (local.get $facc) (f64.const 16)) (local.get $f1)))
    local.get $acc
    local.get $facc)

  ;; A callee that catches inside and returns, then a throw: the caller's
  ;; handler gets it.
  (func $catches-inside (param i32) (result i32)
    try (result i32)
      (throw $e (local.get 0))
    catch $e
      i32.const 1
      i32.add
    end)
  (func (export "callee-caught-then-throw") (param i32) (result i32)
    try (result i32)
      (call $catches-inside (local.get 0))
      throw $e
    catch $e
      i32.const 10
      i32.mul
    end)
  ;; try in if/else arms and in a loop with params.
  (func (export "try-in-if") (param i32) (result i32)
    local.get 0
    if (result i32)
      try (result i32)
        (throw $e (i32.const 1))
      catch $e
      end
    else
      try (result i32)
        (throw $e (i32.const 2))
      catch_all
        i32.const 3
      end
    end)
  (func (export "try-in-loop-params") (param i32) (result i32)
    local.get 0
    loop $l (param i32) (result i32)
      try (param i32) (result i32)
        i32.const 1
        i32.sub
        throw $e
      catch $e
      end
      local.tee 0
      local.get 0
      br_if $l
    end)
)

(assert_return (invoke "locals" (i32.const 0)) (i32.const 0) (i64.const 1000) (f64.const 0.5) (i64.const 2))
(assert_return (invoke "locals" (i32.const 4)) (i32.const 4) (i64.const 1010) (f64.const 2.5) (i64.const 10))
(assert_return (invoke "locals" (i32.const 100)) (i32.const 100) (i64.const 6050) (f64.const 50.5) (i64.const 202))
(assert_return (invoke "memory-and-global" (i32.const 33)) (i32.const 11) (i64.const 33) (i32.const 33))
(assert_return (invoke "big" (i32.const 1)) (i64.const 102050609121314) (f64.const 214927))
(assert_return (invoke "callee-caught-then-throw" (i32.const 4)) (i32.const 50))
(assert_return (invoke "try-in-if" (i32.const 1)) (i32.const 1))
(assert_return (invoke "try-in-if" (i32.const 0)) (i32.const 3))
(assert_return (invoke "try-in-loop-params" (i32.const 5)) (i32.const 0))

;; ---------------------------------------------------------------------------
;; Tags across modules: an imported tag is the exporter's tag; a tag of
;; another module (or another instance of the same module text) is a
;; different tag even when its type is the same.

(module $tags
  (type $v (func (param i32)))
  (tag $e (export "e") (param i32))
  (tag $f (export "f") (param i32))
  (table (export "tab") 4 funcref)
  (func (export "throw-e") (param i32) (throw $e (local.get 0)))
  (func (export "throw-f") (param i32) (throw $f (local.get 0)))
  ;; Calls table slot $0 with $1 and says which of its own tags came back.
  (func (export "catch-from-table") (param i32 i32) (result i32)
    try (result i32)
      (call_indirect (type $v) (local.get 1) (local.get 0))
      i32.const -1
    catch $f
      i32.const 200
      i32.add
    catch $e
      i32.const 100
      i32.add
    catch_all
      i32.const -2
    end))
(register "tags" $tags)

;; The same text again: new tags.
(module $tags2
  (tag $e (export "e") (param i32))
  (func (export "throw-e") (param i32) (throw $e (local.get 0))))
(register "tags2" $tags2)

(module $user
  (import "tags" "e" (tag $e (param i32)))
  (import "tags" "e" (tag $e-again (param i32)))
  (import "tags" "throw-e" (func $throw-e (param i32)))
  (import "tags" "throw-f" (func $throw-f (param i32)))
  (import "tags2" "e" (tag $e2 (param i32)))
  (import "tags2" "throw-e" (func $throw-e2 (param i32)))
  (import "tags" "tab" (table 4 funcref))
  (tag $own (param i32))
  (export "e-reexported" (tag $e))
  (elem (i32.const 0) func $throw-imported $throw-own $throw-tags2 $rethrow-imported)
  (func $throw-imported (export "throw-imported") (param i32) (throw $e (local.get 0)))
  (func $throw-own (export "throw-own") (param i32) (throw $own (local.get 0)))
  (func $throw-tags2 (param i32) (throw $e2 (local.get 0)))
  (func $rethrow-imported (param i32)
    try
      (call $throw-e (local.get 0))
    catch_all
      rethrow 0
    end)

  ;; The exporter throws its tag; the imported tag matches it.
  (func (export "catch-imported") (param i32) (result i32)
    try (result i32)
      (call $throw-e (local.get 0))
      i32.const -1
    catch $own
      drop
      i32.const -2
    catch $e2
      drop
      i32.const -3
    catch $e
      i32.const 100
      i32.add
    end)
  ;; The same tag imported twice: either import matches.
  (func (export "catch-via-second-import") (param i32) (result i32)
    try (result i32)
      (call $throw-e (local.get 0))
      i32.const -1
    catch $e-again
      i32.const 110
      i32.add
    end)
  (func (export "throw-first-catch-second") (param i32) (result i32)
    try (result i32)
      (throw $e (local.get 0))
    catch $e-again
      i32.const 120
      i32.add
    end)
  ;; The exporter's other tag does not match.
  (func (export "other-tag-of-exporter") (param i32) (result i32)
    try (result i32)
      (call $throw-f (local.get 0))
      i32.const -1
    catch $e
      drop
      i32.const -2
    catch_all
      i32.const 130
    end)
  ;; Same type, other module: no match.
  (func (export "same-type-other-module") (param i32) (result i32)
    try (result i32)
      (call $throw-e2 (local.get 0))
      i32.const -1
    catch $e
      drop
      i32.const -2
    catch $e-again
      drop
      i32.const -3
    catch $e2
      i32.const 300
      i32.add
    end)
  (func (export "same-type-other-module-uncaught") (param i32)
    try
      (call $throw-e2 (local.get 0))
    catch $e
      drop
    catch $own
      drop
    end)
  ;; Its own tag, same type as the imported one: no match either.
  (func (export "own-not-imported") (param i32) (result i32)
    try (result i32)
      (throw $own (local.get 0))
    catch $e
      drop
      i32.const -2
    catch $own
      i32.const 400
      i32.add
    end)
  ;; Delegated and rethrown across the module boundary.
  (func (export "delegate-imported") (param i32) (result i32)
    try $t (result i32)
      try (result i32)
        (call $throw-e (local.get 0))
        i32.const -1
      delegate $t
    catch $e-again
      i32.const 500
      i32.add
    end)
)
(register "user" $user)

(assert_return (invoke "catch-imported" (i32.const 1)) (i32.const 101))
(assert_return (invoke "catch-via-second-import" (i32.const 2)) (i32.const 112))
(assert_return (invoke "throw-first-catch-second" (i32.const 3)) (i32.const 123))
(assert_return (invoke "other-tag-of-exporter" (i32.const 4)) (i32.const 130))
(assert_return (invoke "same-type-other-module" (i32.const 5)) (i32.const 305))
(assert_exception (invoke "same-type-other-module-uncaught" (i32.const 5)))
(assert_return (invoke "own-not-imported" (i32.const 6)) (i32.const 406))
(assert_return (invoke "delegate-imported" (i32.const 7)) (i32.const 507))
(assert_exception (invoke "throw-own" (i32.const 8)))
;; Thrown in $user with the imported tag, caught in $tags by its own tag.
(assert_return (invoke $tags "catch-from-table" (i32.const 0) (i32.const 9)) (i32.const 109))
;; $user's own tag and tags2's tag are not $tags's.
(assert_return (invoke $tags "catch-from-table" (i32.const 1) (i32.const 9)) (i32.const -2))
(assert_return (invoke $tags "catch-from-table" (i32.const 2) (i32.const 9)) (i32.const -2))
;; Thrown by $tags, rethrown by $user, caught by $tags.
(assert_return (invoke $tags "catch-from-table" (i32.const 3) (i32.const 9)) (i32.const 109))

;; A third module: the re-exported tag is still the same tag.
(module $third
  (import "user" "e-reexported" (tag $e (param i32)))
  (import "tags" "f" (tag $f (param i32)))
  (import "user" "throw-imported" (func $throw-imported (param i32)))
  (import "user" "throw-own" (func $throw-own (param i32)))
  (import "tags" "throw-e" (func $throw-e (param i32)))
  (import "tags2" "throw-e" (func $throw-e2 (param i32)))
  (func (export "catch") (param i32 i32) (result i32)
    try (result i32)
      block $3
        block $2
          block $1
            block $0
              (br_table $0 $1 $2 $3 (local.get 0))
            end
            (call $throw-imported (local.get 1))
            (return (i32.const -1))
          end
          (call $throw-e (local.get 1))
          (return (i32.const -1))
        end
        (call $throw-own (local.get 1))
        (return (i32.const -1))
      end
      (call $throw-e2 (local.get 1))
      i32.const -1
    catch $f
      drop
      i32.const -3
    catch $e
      i32.const 600
      i32.add
    catch_all
      i32.const -2
    end))

(assert_return (invoke "catch" (i32.const 0) (i32.const 1)) (i32.const 601))
(assert_return (invoke "catch" (i32.const 1) (i32.const 2)) (i32.const 602))
(assert_return (invoke "catch" (i32.const 2) (i32.const 3)) (i32.const -2))
(assert_return (invoke "catch" (i32.const 3) (i32.const 4)) (i32.const -2))

;; A tag import must have the exporter's type. (binaryen does not check tag
;; import types, so these are checked on V8 only.)
(assert_unlinkable (module (import "tags" "e" (tag (param i64)))) "incompatible import type") ;; (V8 only: binaryen links it)
(assert_unlinkable (module (import "tags" "e" (tag))) "incompatible import type") ;; (V8 only: binaryen links it)
(assert_unlinkable (module (import "tags" "e" (tag (param i32 i32)))) "incompatible import type") ;; (V8 only: binaryen links it)
(assert_unlinkable (module (import "tags" "throw-e" (tag (param i32)))) "incompatible import type") ;; (V8 only: binaryen links it)

;; ---------------------------------------------------------------------------
;; Legacy and standard (try_table/throw_ref) exception handling together:
;; across modules and functions first, then in one function.

(module $new
  (type $v (func (param i32)))
  (tag $e (export "e") (param i32))
  (table (export "tab") 4 funcref)
  (func (export "throw") (param i32) (throw $e (local.get 0)))
  ;; Catches its own throw as an exnref and throws that again.
  (func (export "throw-via-ref") (param i32)
    (block $h (result exnref)
      (try_table (catch_all_ref $h) (throw $e (local.get 0)))
      unreachable)
    throw_ref)
  ;; Calls table slot $0 with $1 inside a try_table.
  (func (export "catch-slot") (param i32 i32) (result i32)
    (block $h (result i32)
      (try_table (catch $e $h)
        (call_indirect (type $v) (local.get 1) (local.get 0)))
      (return (i32.const -1)))
    (i32.add (i32.const 100)))
  ;; The same, taking the exception as an exnref first and throwing it again.
  (func (export "catch-ref-slot") (param i32 i32) (result i32)
    (block $caught (result i32)
      (try_table (catch $e $caught)
        (block $h (result exnref)
          (try_table (catch_all_ref $h)
            (call_indirect (type $v) (local.get 1) (local.get 0)))
          (return (i32.const -1)))
        throw_ref)
      unreachable)
    (i32.add (i32.const 200))))
(register "new" $new)

(module $legacy
  (import "new" "e" (tag $e (param i32)))
  (import "new" "throw" (func $throw (param i32)))
  (import "new" "throw-via-ref" (func $throw-via-ref (param i32)))
  (import "new" "tab" (table 4 funcref))
  (tag $own (param i32))
  (elem (i32.const 0) func $legacy-throw $legacy-rethrow $legacy-delegate $legacy-own)
  (func $legacy-throw (param i32) (throw $e (local.get 0)))
  (func $legacy-rethrow (param i32)
    try
      (call $throw-via-ref (local.get 0))
    catch $e
      drop
      rethrow 0
    end)
  (func $legacy-delegate (param i32)
    try
      try
        (call $throw (local.get 0))
      delegate 1
    catch_all
    end)
  (func $legacy-own (param i32) (throw $own (local.get 0)))

  ;; A legacy catch of what try_table code threw.
  (func (export "catch-new-throw") (param i32) (result i32)
    try (result i32)
      (call $throw (local.get 0))
      i32.const -1
    catch $e
      i32.const 10
      i32.add
    end)
  ;; ... and of what throw_ref threw.
  (func (export "catch-throw-ref") (param i32) (result i32)
    try (result i32)
      (call $throw-via-ref (local.get 0))
      i32.const -1
    catch $e
      i32.const 20
      i32.add
    end)
  (func (export "rethrow-throw-ref") (param i32) (result i32)
    try (result i32)
      try
        (call $throw-via-ref (local.get 0))
      catch_all
        rethrow 0
      end
      i32.const -1
    catch $e
      i32.const 30
      i32.add
    end)
  (func (export "delegate-throw-ref") (param i32) (result i32)
    try $t (result i32)
      try
        (call $throw-via-ref (local.get 0))
      delegate $t
      i32.const -1
    catch $e
      i32.const 40
      i32.add
    end))

(assert_return (invoke "catch-new-throw" (i32.const 1)) (i32.const 11))
(assert_return (invoke "catch-throw-ref" (i32.const 2)) (i32.const 22))
(assert_return (invoke "rethrow-throw-ref" (i32.const 3)) (i32.const 33))
(assert_return (invoke "delegate-throw-ref" (i32.const 4)) (i32.const 44))
;; try_table catching what legacy code threw, rethrew and delegated.
(assert_return (invoke $new "catch-slot" (i32.const 0) (i32.const 5)) (i32.const 105))
(assert_return (invoke $new "catch-slot" (i32.const 1) (i32.const 6)) (i32.const 106))
(assert_return (invoke $new "catch-slot" (i32.const 2) (i32.const 7)) (i32.const 107))
(assert_exception (invoke $new "catch-slot" (i32.const 3) (i32.const 8)))
(assert_return (invoke $new "catch-ref-slot" (i32.const 0) (i32.const 5)) (i32.const 205))
(assert_return (invoke $new "catch-ref-slot" (i32.const 1) (i32.const 6)) (i32.const 206))
(assert_return (invoke $new "catch-ref-slot" (i32.const 2) (i32.const 7)) (i32.const 207))
(assert_exception (invoke $new "catch-ref-slot" (i32.const 3) (i32.const 8)))

;; Both encodings in one function. (V8 does not compile a module that mixes
;; them, so binaryen alone checked this module and the next.)
(module $mixed
  (tag $e1 (param i32))
  (tag $e2 (param i32))
  ;; $0 = 0: $e1 $1, otherwise $e2 $1
  (func $throw-which (param i32 i32)
    (if (local.get 0) (then (throw $e2 (local.get 1))))
    (throw $e1 (local.get 1)))

  ;; A try_table inside a legacy try body; what it does not catch goes on
  ;; to the legacy clauses.
  (func (export "try-table-in-try") (param i32) (result i32)
    try (result i32)
      block $h (result i32)
        try_table (catch $e2 $h)
          (call $throw-which (local.get 0) (i32.const 5))
        end
        (return (i32.const -1))
      end
      i32.const 200
      i32.add
    catch $e1
      i32.const 100
      i32.add
    end)
  ;; A legacy try inside a try_table body.
  (func (export "try-in-try-table") (param i32) (result i32)
    block $h (result i32)
      try_table (result i32) (catch $e1 $h)
        try (result i32)
          (call $throw-which (local.get 0) (i32.const 6))
          i32.const -1
        catch $e2
          i32.const 200
          i32.add
        end
      end
      return
    end
    i32.const 100
    i32.add)
  ;; A legacy rethrow caught by catch_all_ref, thrown again by throw_ref,
  ;; caught by a legacy catch.
  (func (export "rethrow-to-catch-ref") (param i32) (result i32)
    try (result i32)
      block $h (result exnref)
        try_table (catch_all_ref $h)
          try
            (throw $e1 (local.get 0))
          catch_all
            rethrow 0
          end
        end
        (return (i32.const -1))
      end
      throw_ref
    catch $e1
      i32.const 10
      i32.add
    end)
  ;; A rethrow in a try_table body inside the catch: the try_table catches it.
  (func (export "rethrow-into-try-table") (param i32) (result i32)
    try $t (result i32)
      (throw $e1 (local.get 0))
    catch $e1
      drop
      block $h (result i32)
        try_table (catch $e1 $h)
          rethrow $t
        end
        i32.const -1
        br $t
      end
      i32.const 20
      i32.add
    end)
  ;; delegate to a try_table's label: its catch clauses apply.
  (func (export "delegate-to-try-table") (param i32) (result i32)
    block $h (result i32)
      try_table $tt (catch $e1 $h)
        try
          (throw $e1 (local.get 0))
        delegate $tt
      end
      (return (i32.const -1))
    end
    i32.const 30
    i32.add)
  ;; An exception handled by a try_table inside a catch does not replace
  ;; the one that rethrow 0 rethrows.
  (func (export "rethrow-after-try-table") (param i32) (result i32)
    try (result i32)
      try
        (throw $e1 (local.get 0))
      catch_all
        block $h (result i32)
          try_table (catch $e2 $h)
            (throw $e2 (i32.const 99))
          end
          i32.const 0
        end
        drop
        rethrow 0
      end
      i32.const -1
    catch $e2
      drop
      i32.const -2
    catch $e1
      i32.const 60
      i32.add
    end)
)

(assert_return (invoke "try-table-in-try" (i32.const 0)) (i32.const 105))
(assert_return (invoke "try-table-in-try" (i32.const 1)) (i32.const 205))
(assert_return (invoke "try-in-try-table" (i32.const 0)) (i32.const 106))
(assert_return (invoke "try-in-try-table" (i32.const 1)) (i32.const 206))
(assert_return (invoke "rethrow-to-catch-ref" (i32.const 7)) (i32.const 17))
(assert_return (invoke "rethrow-into-try-table" (i32.const 8)) (i32.const 28))
(assert_return (invoke "delegate-to-try-table" (i32.const 9)) (i32.const 39))
(assert_return (invoke "rethrow-after-try-table" (i32.const 11)) (i32.const 71))

;; exnref payloads (a module with legacy instructions and the exnref type
;; counts as mixed for V8).
(module $exnref-payload
  (tag $e1 (param i32))
  (tag $texn (param exnref))
  (tag $tmany (param i32 exnref i64))
  (func (export "null") (result i32)
    try (result exnref)
      (throw $texn (ref.null exn))
    catch $texn
    end
    ref.is_null)
  ;; An exnref taken by try_table, carried by a legacy exception, thrown
  ;; again by throw_ref and caught by a legacy catch.
  (func (export "carried") (param i32) (result i32)
    (local $x exnref)
    try (result i32)
      try (result exnref)
        block $h (result i32 exnref)
          try_table (catch_ref $e1 $h)
            (throw $e1 (local.get 0))
          end
          unreachable
        end
        local.set $x
        drop
        local.get $x
        throw $texn
      catch $texn
      end
      throw_ref
    catch $e1
      i32.const 50
      i32.add
    end)
  ;; With other values around it in the payload.
  (func (export "carried-with-others") (param i32) (result i32 i64 i32)
    (local $x exnref) (local $n i64)
    try (result i32 exnref i64)
      i32.const 1
      block $h (result exnref)
        try_table (catch_all_ref $h)
          (throw $e1 (local.get 0))
        end
        unreachable
      end
      i64.const 2
      throw $tmany
    catch $tmany
    end
    local.set $n
    local.set $x
    local.get $n
    try (result i32)
      (throw_ref (local.get $x))
    catch $e1
    end)
)

(assert_return (invoke "null") (i32.const 1))
(assert_return (invoke "carried" (i32.const 3)) (i32.const 53))
(assert_return (invoke "carried-with-others" (i32.const 4)) (i32.const 1) (i64.const 2) (i32.const 4))

;; ---------------------------------------------------------------------------
;; Validation

;; rethrow must target the label of a try whose catch it is in.
(assert_invalid
  (module (func try rethrow 0 catch_all end))
  "invalid rethrow label")
(assert_invalid
  (module (func block rethrow 0 end))
  "invalid rethrow label")
(assert_invalid
  (module (func rethrow 0))
  "invalid rethrow label")
(assert_invalid
  (module (func try nop catch_all block rethrow 0 end end))
  "invalid rethrow label")
(assert_invalid
  (module (func try nop catch_all try rethrow 0 catch_all end end))
  "invalid rethrow label")
(assert_invalid
  (module (func try nop catch_all try nop catch_all end rethrow 1 end))
  "invalid rethrow label")
(assert_invalid
  (module (func try nop catch_all rethrow 2 end))
  "unknown label")
(assert_invalid
  (module (func try nop catch_all end try nop catch_all rethrow 1 end))
  "invalid rethrow label")
;; Not even in unreachable code.
(assert_invalid
  (module (func unreachable try rethrow 0 catch_all end))
  "invalid rethrow label")

;; delegate's label must exist (the function's label is the last one).
(assert_invalid
  (module (func try nop delegate 1))
  "unknown label")
(assert_invalid
  (module (func block try nop delegate 2 end))
  "unknown label")
(assert_invalid
  (module (func try try nop delegate 2 catch_all end))
  "unknown label")

;; Clauses: no catch after catch_all, one catch_all, only in a try.
(assert_invalid
  (module (tag $e) (func try nop catch_all catch $e end))
  "catch found outside of an `try` block")
(assert_invalid
  (module (func try nop catch_all catch_all end))
  "catch_all found outside of a `try` block")
(assert_invalid
  (module (tag $e) (func block catch $e end))
  "catch found outside of an `try` block")
(assert_invalid
  (module (func block catch_all end))
  "catch_all found outside of a `try` block")
(assert_invalid
  (module (func block nop delegate 0))
  "delegate found outside of an `try` block")
(assert_invalid
  (module (func try nop catch_all delegate 0))
  "delegate found outside of an `try` block")
(assert_invalid
  (module (func try nop catch 0 end))
  "unknown tag")

;; Tag types: throw operands, catch payloads, try results.
(assert_invalid
  (module (tag $e (param i32)) (func (throw $e (i64.const 0))))
  "type mismatch")
(assert_invalid
  (module (tag $e (param i32 f32)) (func (throw $e (f32.const 0) (i32.const 0))))
  "type mismatch")
(assert_invalid
  (module (tag $e (param i32)) (func (result i64) try (result i64) i64.const 0 catch $e end))
  "type mismatch")
(assert_invalid
  (module (tag $e (param i32)) (func try nop catch $e end))
  "type mismatch")
(assert_invalid
  (module (tag $e) (func (result i32) try (result i32) i32.const 0 catch $e end))
  "type mismatch")
(assert_invalid
  (module (tag $e (param i32)) (func (result i32) try (result i32) i32.const 0 catch_all end))
  "type mismatch")
(assert_invalid
  (module (tag $e (param i64)) (func (result i32) try (result i32) i32.const 0 catch $e i32.wrap_i64 i32.add end))
  "type mismatch")
(assert_invalid
  (module (func (result i32) try (result i32) nop catch_all i32.const 0 end))
  "type mismatch")
(assert_invalid
  (module (func (result i32) try (result i32) i32.const 0 delegate 0 i32.const 1))
  "type mismatch")
;; A clause does not see the try's params.
(assert_invalid
  (module (func (param i32) (result i32)
    local.get 0 try (param i32) (result i32) catch_all end))
  "type mismatch")
(assert_invalid
  (module (tag $e (param i32)) (func (param i32) (result i32)
    local.get 0 try (param i32) (result i32) catch $e i32.add end))
  "type mismatch")
(assert_invalid
  (module (func try (param i32) drop end))
  "type mismatch")
;; A tag's type has no results.
(assert_invalid (module (type $t (func (result i32))) (tag (type $t))) "non-empty tag result type") ;; (V8 only: binaryen accepts it)
