;; lib: a C++ library, written as LLVM's Wasm exception handling (the
;; standard encoding, -wasm-use-legacy-eh=false) would compile it:
;;
;;   struct Error { int line; };
;;   struct ParseError : Error {};
;;   struct Guard {                        // a local with a destructor
;;     Guard()  { puts("  Guard(parse)"); }
;;     ~Guard() { puts("  ~Guard(parse)"); }
;;   };
;;   static int check(int v) {
;;     if (v < 0) throw ParseError{{-v}};  // a class type
;;     if (v == 13) throw 13;              // an int
;;     if (v == 99) throw_foreign(v);      // not a C++ exception at all
;;     return v * 2;
;;   }
;;   int parse(int v) { Guard g; return check(v) + 1; }
;;
;; Only parse has a landing pad: a cleanup (catch_all_ref) that runs
;; ~Guard and sends the same exception on with throw_ref (the legacy
;; encoding's catch_all + rethrow 0). It runs for C++ and foreign
;; exceptions alike.
(module
  (import "env" "memory" (memory 1))
  (import "env" "__cpp_exception" (tag $__cpp_exception (param i32)))
  (import "env" "__cxa_allocate_exception" (func $__cxa_allocate_exception (param i32) (result i32)))
  (import "env" "__cxa_throw" (func $__cxa_throw (param i32 i32)))
  (import "env" "throw_foreign" (func $throw_foreign (param i32)))
  (import "env" "puts" (func $puts (param i32)))

  ;; lib's strings live at 0x400.. of the shared memory
  (data (i32.const 0x400) "  Guard(parse)\00")
  (data (i32.const 0x420) "  ~Guard(parse)\00")

  (func $check (param $v i32) (result i32)
    (local $obj i32)
    (if (i32.lt_s (local.get $v) (i32.const 0))
      (then
        ;; throw ParseError{{-v}}: allocate, construct, __cxa_throw
        (local.set $obj (call $__cxa_allocate_exception (i32.const 4)))
        (i32.store (local.get $obj) (i32.sub (i32.const 0) (local.get $v)))
        (call $__cxa_throw (local.get $obj) (i32.const 2 (; typeid(ParseError) ;)))
        (unreachable)))
    (if (i32.eq (local.get $v) (i32.const 13))
      (then
        ;; throw 13
        (local.set $obj (call $__cxa_allocate_exception (i32.const 4)))
        (i32.store (local.get $obj) (local.get $v))
        (call $__cxa_throw (local.get $obj) (i32.const 1 (; typeid(int) ;)))
        (unreachable)))
    (if (i32.eq (local.get $v) (i32.const 99))
      (then (call $throw_foreign (local.get $v))))
    (i32.mul (local.get $v) (i32.const 2)))

  (func $parse (export "parse") (param $v i32) (result i32)
    (local $r i32)
    (call $puts (i32.const 0x400))            ;; Guard g;
    (block $cleanup (result exnref)
      (try_table (catch_all_ref $cleanup)
        (local.set $r (call $check (local.get $v))))
      ;; normal exit: ~Guard, return
      (call $puts (i32.const 0x420))
      (return (i32.add (local.get $r) (i32.const 1))))
    ;; cleanup landing pad, the exception on the stack: ~Guard, then on
    (call $puts (i32.const 0x420))
    (throw_ref)))
