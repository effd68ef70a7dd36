;; main: a C++ program using lib, written as LLVM's Wasm exception
;; handling (standard encoding) would compile it:
;;
;;   struct Guard { Guard() { puts("  Guard(run)"); } ~Guard() { puts("  ~Guard(run)"); } };
;;   int run(int v) {
;;     Guard g;
;;     try {
;;       int r = parse(v);
;;       print_int("  parse returned ", r);
;;       return r;
;;     } catch (const ParseError& e) {
;;       print_int("  run: caught ParseError, line ", e.line);
;;       return -1;
;;     }
;;   }
;;   int main() {
;;     puts("run(20):"); run(20);          // no exception
;;     puts("run(-7):"); run(-7);          // ParseError, caught in run
;;     puts("run(13):");                   // int: passes run's catch
;;     try { run(13); } catch (int n) { print_int("main: caught int ", n); }
;;     puts("parse(-3):");                 // caught through its base class
;;     try { parse(-3); } catch (const Error& e) { print_int("main: caught as Error, line ", e.line); }
;;     puts("parse(-4), caught, throw;, caught again:");
;;     try {
;;       try { parse(-4); }
;;       catch (const ParseError& e) { print_int("main: inner catch, line ", e.line); throw; }
;;     } catch (const ParseError& e) { print_int("main: outer catch, line ", e.line); }
;;     puts("run(99):");                   // a foreign exception
;;     try { run(99); } catch (...) { puts("main: catch (...) took a foreign exception"); }
;;     print_int("live exception objects: ", live_exceptions());
;;   }
;;
;; A try block becomes a try_table with catch_ref of __cpp_exception (the
;; landing pad gets the object pointer and the exception, to send it on
;; unchanged with throw_ref when no clause matches) and, where a
;; destructor must run, catch_all_ref for everything else (cleanup, then
;; throw_ref). A catch block calls __cxa_begin_catch/__cxa_end_catch; a
;; `throw;` in it is __cxa_rethrow, with a cleanup landing pad around it
;; that runs __cxa_end_catch. Type ids: 1 int, 2 ParseError, 4 Error.
(module
  (import "env" "memory" (memory 1))
  (import "env" "__cpp_exception" (tag $__cpp_exception (param i32)))
  (import "env" "__cxa_can_catch" (func $__cxa_can_catch (param i32 i32) (result i32)))
  (import "env" "__cxa_begin_catch" (func $__cxa_begin_catch (param i32) (result i32)))
  (import "env" "__cxa_end_catch" (func $__cxa_end_catch (param i32)))
  (import "env" "__cxa_rethrow" (func $__cxa_rethrow (param i32)))
  (import "env" "live_exceptions" (func $live_exceptions (result i32)))
  (import "env" "puts" (func $puts (param i32)))
  (import "env" "print_int" (func $print_int (param i32 i32)))
  (import "lib" "parse" (func $parse (param i32) (result i32)))

  ;; main's strings live at 0x800.. of the shared memory
  (data (i32.const 0x800) "  Guard(run)\00")
  (data (i32.const 0x820) "  ~Guard(run)\00")
  (data (i32.const 0x840) "  parse returned \00")
  (data (i32.const 0x860) "  run: caught ParseError, line \00")
  (data (i32.const 0x880) "run(20):\00")
  (data (i32.const 0x8a0) "run(-7):\00")
  (data (i32.const 0x8c0) "run(13):\00")
  (data (i32.const 0x8e0) "main: caught int \00")
  (data (i32.const 0x900) "parse(-3):\00")
  (data (i32.const 0x920) "main: caught as Error, line \00")
  (data (i32.const 0x940) "parse(-4), caught, throw;, caught again:\00")
  (data (i32.const 0x980) "main: inner catch, line \00")
  (data (i32.const 0x9a0) "main: outer catch, line \00")
  (data (i32.const 0x9c0) "run(99):\00")
  (data (i32.const 0x9e0) "main: catch (...) took a foreign exception\00")
  (data (i32.const 0xa20) "main: catch (...) took a C++ exception\00")
  (data (i32.const 0xa60) "live exception objects: \00")

  ;; int run(int v)
  (func $run (param $v i32) (result i32)
    (local $r i32) (local $obj i32) (local $exn exnref)
    (call $puts (i32.const 0x800))                       ;; Guard g;
    (block $cleanup (result exnref)
      (block $lpad (result i32 exnref)
        (try_table (catch_ref $__cpp_exception $lpad) (catch_all_ref $cleanup)
          (local.set $r (call $parse (local.get $v)))
          (call $print_int (i32.const 0x840) (local.get $r)))
        ;; the try block ended normally: ~Guard, return r
        (call $puts (i32.const 0x820))
        (return (local.get $r)))
      ;; landing pad for C++ exceptions
      (local.set $exn)
      (local.set $obj)
      (if (call $__cxa_can_catch (local.get $obj) (i32.const 2 (; ParseError ;)))
        (then
          ;; catch (const ParseError& e)
          (drop (call $__cxa_begin_catch (local.get $obj)))
          (call $print_int (i32.const 0x860) (i32.load (local.get $obj)))
          (call $__cxa_end_catch (local.get $obj))
          (call $puts (i32.const 0x820))                 ;; ~Guard
          (return (i32.const -1))))
      ;; no clause matches: to the cleanup with the same exception
      (local.get $exn))
    ;; cleanup: ~Guard, then the exception goes on
    (local.set $exn)
    (call $puts (i32.const 0x820))
    (throw_ref (local.get $exn)))

  ;; try { run(13); } catch (int n) { ... }
  (func $catch_int
    (local $obj i32) (local $exn exnref)
    (block $lpad (result i32 exnref)
      (try_table (catch_ref $__cpp_exception $lpad)
        (drop (call $run (i32.const 13))))
      (return))
    (local.set $exn)
    (local.set $obj)
    (if (i32.eqz (call $__cxa_can_catch (local.get $obj) (i32.const 1 (; int ;))))
      (then (throw_ref (local.get $exn))))
    (drop (call $__cxa_begin_catch (local.get $obj)))
    (call $print_int (i32.const 0x8e0) (i32.load (local.get $obj)))
    (call $__cxa_end_catch (local.get $obj)))

  ;; try { parse(-3); } catch (const Error& e) { ... }
  (func $catch_base
    (local $obj i32) (local $exn exnref)
    (block $lpad (result i32 exnref)
      (try_table (catch_ref $__cpp_exception $lpad)
        (drop (call $parse (i32.const -3))))
      (return))
    (local.set $exn)
    (local.set $obj)
    (if (i32.eqz (call $__cxa_can_catch (local.get $obj) (i32.const 4 (; Error ;))))
      (then (throw_ref (local.get $exn))))
    (drop (call $__cxa_begin_catch (local.get $obj)))
    (call $print_int (i32.const 0x920) (i32.load (local.get $obj)))
    (call $__cxa_end_catch (local.get $obj)))

  ;; try { try { parse(-4); } catch (const ParseError& e) { ...; throw; } }
  ;; catch (const ParseError& e) { ... }
  (func $catch_rethrow
    (local $obj i32) (local $exn exnref)
    (block $outer_lpad (result i32 exnref)
      (try_table (catch_ref $__cpp_exception $outer_lpad)
        (block $inner_done
          (block $inner_lpad (result i32 exnref)
            (try_table (catch_ref $__cpp_exception $inner_lpad)
              (drop (call $parse (i32.const -4))))
            (br $inner_done))
          ;; inner landing pad
          (local.set $exn)
          (local.set $obj)
          (if (i32.eqz (call $__cxa_can_catch (local.get $obj) (i32.const 2 (; ParseError ;))))
            (then (throw_ref (local.get $exn))))
          (drop (call $__cxa_begin_catch (local.get $obj)))
          (call $print_int (i32.const 0x980) (i32.load (local.get $obj)))
          ;; throw; -- leaving the catch block by an exception runs its
          ;; cleanup, __cxa_end_catch, which must not destroy the object
          (local.set $exn
            (block $end_catch (result exnref)
              (try_table (catch_all_ref $end_catch)
                (call $__cxa_rethrow (local.get $obj)))
              (unreachable)))
          (call $__cxa_end_catch (local.get $obj))
          (throw_ref (local.get $exn))))
      (return))
    ;; outer landing pad
    (local.set $exn)
    (local.set $obj)
    (if (i32.eqz (call $__cxa_can_catch (local.get $obj) (i32.const 2 (; ParseError ;))))
      (then (throw_ref (local.get $exn))))
    (drop (call $__cxa_begin_catch (local.get $obj)))
    (call $print_int (i32.const 0x9a0) (i32.load (local.get $obj)))
    (call $__cxa_end_catch (local.get $obj)))

  ;; try { run(99); } catch (...) { ... }: C++ exceptions through
  ;; __cpp_exception (the object must be begun and ended), anything else
  ;; through catch_all
  (func $catch_everything
    (local $obj i32)
    (block $foreign
      (block $cpp (result i32)
        (try_table (catch $__cpp_exception $cpp) (catch_all $foreign)
          (drop (call $run (i32.const 99))))
        (return))
      (local.set $obj)
      (drop (call $__cxa_begin_catch (local.get $obj)))
      (call $puts (i32.const 0xa20))
      (call $__cxa_end_catch (local.get $obj))
      (return))
    (call $puts (i32.const 0x9e0)))

  (func $main (export "_start")
    (call $puts (i32.const 0x880))
    (drop (call $run (i32.const 20)))
    (call $puts (i32.const 0x8a0))
    (drop (call $run (i32.const -7)))
    (call $puts (i32.const 0x8c0))
    (call $catch_int)
    (call $puts (i32.const 0x900))
    (call $catch_base)
    (call $puts (i32.const 0x940))
    (call $catch_rethrow)
    (call $puts (i32.const 0x9c0))
    (call $catch_everything)
    (call $print_int (i32.const 0xa60) (call $live_exceptions))))
