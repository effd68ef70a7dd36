;; Active data segments at offsets known at build time start the memory
;; from an image mapped from the executable: at 0, at an imported
;; constant plus an extended-const sum, overlapping (the later one wins),
;; one MiB away (an image run of its own), an empty one at the very end,
;; in a second memory, and in a 64-bit memory. `_start` prints what
;; arrived, writes into imaged pages (private to the program) and sums
;; every byte of each memory.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "consts" "far" (global $far i32))
  (import "consts" "wide" (global $wide i64))
  (memory $m (export "memory") 20)
  (memory $second 1)
  (memory $big i64 2)
  (data (i32.const 0) "first segment\0a")
  (data (i32.const 100) "overwritten....\0a")
  (data (i32.const 100) "overlap")
  (data (i32.add (global.get $far) (i32.const 16)) "a MiB away\0a")
  (data (i32.const 1310720) "")
  (data $s (memory $second) (i32.const 4096) "second memory\0a")
  (data (memory $big) (i64.add (global.get $wide) (i64.const 6)) "64-bit memory\0a")

  (func $print (param $ptr i32) (param $len i32)
    (i32.store (i32.const 512) (local.get $ptr))
    (i32.store (i32.const 516) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 512) (i32.const 1) (i32.const 520))))
  ;; Print the sum of the bytes of [0, len) of the memory `$which` as 8
  ;; hexadecimal digits and a newline.
  (func $hex (param $v i32)
    (local $k i32)
    (loop $d
      (i32.store8 (i32.add (i32.const 600) (local.get $k))
        (i32.load8_u (i32.add (i32.const 700)
          (i32.and (i32.shr_u (local.get $v) (i32.sub (i32.const 28) (i32.shl (local.get $k) (i32.const 2)))) (i32.const 15)))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $d (i32.lt_u (local.get $k) (i32.const 8))))
    (i32.store8 (i32.const 608) (i32.const 10))
    (call $print (i32.const 600) (i32.const 9)))
  (func $sum_main (result i32)
    (local $i i32) (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s) (i32.load8_u (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 1310720))))
    (local.get $s))
  (func $sum_second (result i32)
    (local $i i32) (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s) (i32.load8_u $second (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 65536))))
    (local.get $s))
  (func $sum_big (result i32)
    (local $i i64) (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s) (i32.load8_u $big (local.get $i))))
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (br_if $l (i64.lt_u (local.get $i) (i64.const 131072))))
    (local.get $s))
  (func (export "_start")
    (local $i i32)
    (call $print (i32.const 0) (i32.const 14))
    (call $print (i32.const 100) (i32.const 16))
    (call $print (i32.const 1048592) (i32.const 11))
    ;; The other memories' contents, copied into this one to print them.
    (memory.copy $m $second (i32.const 300) (i32.const 4096) (i32.const 14))
    (call $print (i32.const 300) (i32.const 14))
    (memory.copy $m $big (i32.const 400) (i64.const 70006) (i32.const 14))
    (call $print (i32.const 400) (i32.const 14))
    ;; Imaged pages are the program's own: write, read back.
    (i32.store8 (i32.const 0) (i32.const 0x46))
    (i32.store8 $big (i64.const 70006) (i32.const 0x36))
    (call $print (i32.const 0) (i32.const 14))
    (i32.store (i32.const 700) (i32.const 0x33323130))
    (i32.store (i32.const 704) (i32.const 0x37363534))
    (i32.store (i32.const 708) (i32.const 0x62613938))
    (i32.store (i32.const 712) (i32.const 0x66656463))
    (call $hex (call $sum_main))
    (call $hex (call $sum_second))
    (call $hex (call $sum_big))))
