;; Pre-initialisation captures memories (contents and grown size), globals
;; of every type, tables (filled from a passive element segment, with a
;; function of another instance), dropped segments and an init export;
;; `_start` prints them. Built without pre-initialisation, `_start` calls
;; the init export itself (as under wasmtime): the output is the same,
;; and the counter shows every initialiser ran exactly once. Given an
;; argument, `_start` ends by trapping on the dropped passive segment.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get"
    (func $args_sizes_get (param i32 i32) (result i32)))
  (import "lib" "triple" (func $triple (param i32) (result i32)))
  (import "lib" "base" (global $base i32))
  (type $r (func (result i32)))
  (type $p (func (param i32) (result i32)))
  (memory (export "memory") 1 8)
  (table $t 4 funcref)
  (table $ext 2 externref)
  (global $counter (mut i32) (i32.const 0))
  (global $initialized (mut i32) (i32.const 0))
  (global $wide (mut i64) (i64.const 0))
  (global $vec (mut v128) (v128.const i64x2 0 0))
  (global $fn (mut funcref) (ref.null func))
  (data $greeting "pre-initialised\0a")
  (data (global.get $base) "base!\0a")
  (data (i32.const 5000) "label: ")
  (elem $funcs func $ten $twenty)
  (elem declare func $triple_here)
  (func $ten (result i32) (i32.const 10))
  (func $twenty (result i32) (i32.const 20))

  (func $start
    (global.set $counter (i32.add (global.get $counter) (i32.const 1)))
    (memory.init $greeting (i32.const 1024) (i32.const 0) (i32.const 16))
    (data.drop $greeting)
    (drop (memory.grow (i32.const 2))))
  (start $start)

  (func (export "_initialize")
    (global.set $counter (i32.add (global.get $counter) (i32.const 10)))
    (table.init $t $funcs (i32.const 0) (i32.const 0) (i32.const 2))
    (elem.drop $funcs)
    (table.set $t (i32.const 2) (ref.func $triple_here)))
  (func $triple_here (param i32) (result i32) (call $triple (local.get 0)))

  (func $init (export "wizer.initialize")
    (global.set $counter (i32.add (global.get $counter) (i32.const 100)))
    (global.set $initialized (i32.const 1))
    (global.set $wide (i64.const 0x123456789abcdef0))
    (global.set $vec (v128.const i32x4 1 2 3 4))
    (global.set $fn (ref.func $twenty))
    ;; The last bytes of the grown memory.
    (i64.store (i32.const 196600) (i64.const 0x0a21646e65206548))
    (drop (call $args_sizes_get (i32.const 2048) (i32.const 2052))))

  ;; Print `len` bytes at `ptr` on stdout.
  (func $print (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  ;; Print "label: N\n" for an unsigned N.
  (func $number (param $n i64)
    (local $at i32)
    (call $print (i32.const 5000) (i32.const 7))
    (local.set $at (i32.const 99))
    (i32.store8 (local.get $at) (i32.const 10))
    (loop $digits
      (local.set $at (i32.sub (local.get $at) (i32.const 1)))
      (i64.store8 (local.get $at)
        (i64.add (i64.const 48) (i64.rem_u (local.get $n) (i64.const 10))))
      (local.set $n (i64.div_u (local.get $n) (i64.const 10)))
      (br_if $digits (i64.ne (local.get $n) (i64.const 0))))
    (call $print (local.get $at) (i32.sub (i32.const 100) (local.get $at))))

  (func (export "_start")
    (if (i32.eqz (global.get $initialized)) (then (call $init)))
    (call $number (i64.extend_i32_u (global.get $counter)))
    (call $number (i64.extend_i32_u (memory.size)))
    (call $print (i32.const 1024) (i32.const 16))
    (call $print (global.get $base) (i32.const 6))
    (call $number (i64.extend_i32_u (call_indirect $t (type $r) (i32.const 0))))
    (call $number (i64.extend_i32_u (call_indirect $t (type $r) (i32.const 1))))
    (call $number (i64.extend_i32_u
      (call_indirect $t (type $p) (i32.const 7) (i32.const 2))))
    (table.set $t (i32.const 3) (global.get $fn))
    (call $number (i64.extend_i32_u (call_indirect $t (type $r) (i32.const 3))))
    (call $number (global.get $wide))
    (call $number (i64.extend_i32_u (i32x4.extract_lane 2 (global.get $vec))))
    ;; At least one argument (the program's name), whenever init ran.
    (call $number (i64.extend_i32_u (i32.ne (i32.load (i32.const 2048)) (i32.const 0))))
    (call $number (i64.extend_i32_u (ref.is_null (table.get $ext (i32.const 1)))))
    (call $print (i32.const 196600) (i32.const 8))
    ;; Given an argument: the greeting was dropped during initialisation,
    ;; so this traps.
    (drop (call $args_sizes_get (i32.const 2056) (i32.const 2060)))
    (if (i32.gt_u (i32.load (i32.const 2056)) (i32.const 1))
      (then (memory.init $greeting (i32.const 0) (i32.const 0) (i32.const 1))))))
