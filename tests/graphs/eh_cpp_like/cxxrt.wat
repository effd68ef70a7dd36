;; cxxrt: a miniature C++ runtime in the style of what LLVM's Wasm
;; exception handling links against (libc++abi + libunwind), reduced to
;; what the test needs. main and lib import it as `env`, as LLVM-produced
;; modules do.
;;
;; - The tag `__cpp_exception` (one i32: a pointer) is the one tag every
;;   C++ exception is thrown with, whatever its C++ type. LLVM names it
;;   this way; here it is defined once, exported, and imported by both C++
;;   modules, so they see one tag.
;; - An exception object lives in linear memory: a 16-byte header, then
;;   the thrown C++ object. The payload of the Wasm exception is a pointer
;;   to the C++ object (libunwind passes a pointer to its
;;   _Unwind_Exception; the difference does not matter here).
;;     obj-16: type id (stands for the std::type_info pointer)
;;     obj-12: handler count (catch blocks that have it)
;;     obj-8:  rethrown flag (set by `throw;`)
;; - Which catch clause matches is decided in the landing pad by asking
;;   __cxa_can_catch (in LLVM: the personality function, reached through
;;   _Unwind_CallPersonality, computes a selector that the landing pad
;;   compares with llvm.eh.typeid.for). Types: 1 int, 2 ParseError,
;;   4 Error; ParseError derives from Error.
;; - `throw_foreign` throws a different tag, `foreign`: an exception from
;;   another language (a JS exception, a Rust panic). C++ `catch (...)`
;;   sees it through catch_all; C++ destructors must run for it too.
;; Memory: 0..64 scratch for printing, 0x100.. cxxrt's strings, 0x400..
;; lib's, 0x800.. main's, 0x4000.. exception objects (never reused: a bump
;; allocator with a count of live objects, enough for the test).
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (tag $__cpp_exception (export "__cpp_exception") (param i32))
  (tag $foreign (export "foreign") (param i32))

  (global $heap (mut i32) (i32.const 0x4000))
  (global $live (mut i32) (i32.const 0))

  ;; ---- printing --------------------------------------------------------
  (data (i32.const 0x40) "\n\00")
  (func $write (param $p i32) (param $n i32)
    (i32.store (i32.const 0) (local.get $p))
    (i32.store (i32.const 4) (local.get $n))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  ;; a NUL-terminated string, no newline
  (func $fputs (param $s i32) (local $e i32)
    (local.set $e (local.get $s))
    (block $done (loop $scan
      (br_if $done (i32.eqz (i32.load8_u (local.get $e))))
      (local.set $e (i32.add (local.get $e) (i32.const 1)))
      (br $scan)))
    (call $write (local.get $s) (i32.sub (local.get $e) (local.get $s))))
  ;; puts(s): the string and a newline
  (func $puts (export "puts") (param $s i32)
    (call $fputs (local.get $s))
    (call $fputs (i32.const 0x40)))
  ;; print_int(label, v): the label, v in decimal, a newline
  (func $print_int (export "print_int") (param $label i32) (param $v i32)
    (local $p i32) (local $neg i32) (local $u i32)
    (call $fputs (local.get $label))
    (local.set $neg (i32.lt_s (local.get $v) (i32.const 0)))
    (local.set $u (select (i32.sub (i32.const 0) (local.get $v)) (local.get $v) (local.get $neg)))
    (local.set $p (i32.const 48))
    (loop $digit
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p) (i32.add (i32.const 48) (i32.rem_u (local.get $u) (i32.const 10))))
      (local.set $u (i32.div_u (local.get $u) (i32.const 10)))
      (br_if $digit (local.get $u)))
    (if (local.get $neg) (then
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p) (i32.const 45))))
    (call $write (local.get $p) (i32.sub (i32.const 48) (local.get $p)))
    (call $fputs (i32.const 0x40)))

  ;; ---- the C++ ABI -------------------------------------------------------
  ;; void* __cxa_allocate_exception(size_t size)
  (func $__cxa_allocate_exception (export "__cxa_allocate_exception") (param $size i32) (result i32)
    (local $obj i32)
    (local.set $obj (i32.add (global.get $heap) (i32.const 16)))
    (i64.store (global.get $heap) (i64.const 0))
    (i64.store offset=8 (global.get $heap) (i64.const 0))
    (global.set $heap (i32.and (i32.add (i32.add (local.get $obj) (local.get $size)) (i32.const 15))
                               (i32.const -16)))
    (global.set $live (i32.add (global.get $live) (i32.const 1)))
    (local.get $obj))
  (func $free_exception (param $obj i32)
    (global.set $live (i32.sub (global.get $live) (i32.const 1))))

  ;; void __cxa_throw(void* obj, type id): `throw expr;` after the object
  ;; is built. Never returns.
  (func $__cxa_throw (export "__cxa_throw") (param $obj i32) (param $type i32)
    (i32.store (i32.sub (local.get $obj) (i32.const 16)) (local.get $type))
    (throw $__cpp_exception (local.get $obj)))

  ;; `throw;` inside a catch block: the exception being handled goes on;
  ;; the catch block's __cxa_end_catch (run by its cleanup landing pad)
  ;; must not destroy it.
  (func $__cxa_rethrow (export "__cxa_rethrow") (param $obj i32)
    (i32.store (i32.sub (local.get $obj) (i32.const 8)) (i32.const 1))
    (throw $__cpp_exception (local.get $obj)))

  ;; does a catch clause for `type` take this exception? (the type itself
  ;; or a base class: ParseError (2) is an Error (4))
  (func $__cxa_can_catch (export "__cxa_can_catch") (param $obj i32) (param $type i32) (result i32)
    (local $t i32)
    (local.set $t (i32.load (i32.sub (local.get $obj) (i32.const 16))))
    (i32.or (i32.eq (local.get $t) (local.get $type))
            (i32.and (i32.eq (local.get $t) (i32.const 2)) (i32.eq (local.get $type) (i32.const 4)))))

  ;; entering a catch block
  (func $__cxa_begin_catch (export "__cxa_begin_catch") (param $obj i32) (result i32)
    (i32.store (i32.sub (local.get $obj) (i32.const 12))
      (i32.add (i32.load (i32.sub (local.get $obj) (i32.const 12))) (i32.const 1)))
    (local.get $obj))

  ;; leaving a catch block, normally or by an exception: the last handler
  ;; destroys the object unless it was rethrown (then it is still in
  ;; flight and the next catch block owns it)
  (func $__cxa_end_catch (export "__cxa_end_catch") (param $obj i32)
    (local $n i32)
    (local.set $n (i32.sub (i32.load (i32.sub (local.get $obj) (i32.const 12))) (i32.const 1)))
    (i32.store (i32.sub (local.get $obj) (i32.const 12)) (local.get $n))
    (if (i32.eqz (local.get $n))
      (then
        (if (i32.load (i32.sub (local.get $obj) (i32.const 8)))
          (then (i32.store (i32.sub (local.get $obj) (i32.const 8)) (i32.const 0)))
          (else (call $free_exception (local.get $obj)))))))

  ;; an exception of another language
  (func $throw_foreign (export "throw_foreign") (param $v i32)
    (throw $foreign (local.get $v)))

  ;; exception objects not yet destroyed
  (func $live_exceptions (export "live_exceptions") (result i32)
    (global.get $live)))
