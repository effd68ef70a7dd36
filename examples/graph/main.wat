;; main: the entry. Imports the shared memory and printing from io, the
;; even/odd pair (which call each other), ops' table, and text's fill.
(module
  (type $binop (func (param i32 i32) (result i32)))
  (import "env" "memory" (memory 1))
  (import "env" "print" (func $print (param i32 i32)))
  (import "env" "print_i32" (func $print_i32 (param i32)))
  (import "parity" "is_even" (func $is_even (param i32) (result i32)))
  (import "parity" "is_odd" (func $is_odd (param i32) (result i32)))
  (import "ops" "ops" (table 4 funcref))
  (import "text" "fill" (func $fill (param i32) (result i32)))

  ;; An active data segment into the imported memory (main's area: 1024..).
  (data (i32.const 1024) "is_even(10) = ")
  (data (i32.const 1040) "is_odd(7) = ")
  (data (i32.const 1056) "is_even(7) = ")
  (data (i32.const 1072) "ops[i](7, 5) for i = 0..3:\n")

  (func $main (export "_start")
    (local $i i32)
    (call $print (i32.const 1024) (i32.const 14))
    (call $print_i32 (call $is_even (i32.const 10)))
    (call $print (i32.const 1040) (i32.const 12))
    (call $print_i32 (call $is_odd (i32.const 7)))
    (call $print (i32.const 1056) (i32.const 13))
    (call $print_i32 (call $is_even (i32.const 7)))

    (call $print (i32.const 1072) (i32.const 27))
    (loop $each
      (call $print_i32
        (call_indirect (type $binop) (i32.const 7) (i32.const 5) (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $each (i32.lt_u (local.get $i) (i32.const 4))))

    ;; text writes into the shared memory at 2048; io prints those bytes.
    (call $print (i32.const 2048) (call $fill (i32.const 2048)))))
