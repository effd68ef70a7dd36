;; Two instances of one bytes source have their own bytes: a write through
;; words1's memory is not seen through words2. Every `read` copies into the
;; memory of the instance that calls it (main's own, not the imported ones).
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "words1" "memory" (memory $w1 1))
  (import "words1" "read" (func $read1 (param i32 i32 i32)))
  (import "words1" "len" (global $len1 i32))
  (import "words2" "read" (func $read2 (param i32 i32 i32)))
  (import "config" "read" (func $read_config (param i32 i32 i32)))
  (import "config" "len" (global $config_len i32))
  (import "inline" "read" (func $read_inline (param i32 i32 i32)))
  (import "inline" "len" (global $inline_len i32))
  (import "lib" "show" (func $lib_show))
  (memory $m (export "memory") 1)
  (func $print (param $ptr i32) (param $len i32)
    (i32.store $m (i32.const 0) (local.get $ptr))
    (i32.store $m (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func $newline
    (i32.store8 $m (i32.const 16) (i32.const 10))
    (call $print (i32.const 16) (i32.const 1)))
  (func (export "_start")
    ;; words2, then words1 after a write through words1's memory.
    (call $read2 (i32.const 100) (i32.const 0) (global.get $len1))
    (call $print (i32.const 100) (global.get $len1))
    (i32.store8 $w1 (i32.const 0) (i32.const 74)) ;; 'J'
    (call $read1 (i32.const 100) (i32.const 0) (global.get $len1))
    (call $print (i32.const 100) (global.get $len1))
    (call $read2 (i32.const 100) (i32.const 0) (global.get $len1))
    (call $print (i32.const 100) (global.get $len1))
    ;; A part: "data" (offset 7, 4 bytes).
    (call $read2 (i32.const 100) (i32.const 7) (i32.const 4))
    (call $print (i32.const 100) (i32.const 4))
    (call $newline)
    ;; JSON, stored canonical.
    (call $read_config (i32.const 200) (i32.const 0) (global.get $config_len))
    (call $print (i32.const 200) (global.get $config_len))
    (call $newline)
    (call $read_inline (i32.const 200) (i32.const 0) (global.get $inline_len))
    (call $print (i32.const 200) (global.get $inline_len))
    (call $newline)
    ;; Through a facade that renames, into lib's memory.
    (call $lib_show)))
