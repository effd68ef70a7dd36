;; Wizer's convention: only `wizer.initialize` puts `$hello` in the table,
;; and nothing else calls it. Without pre-initialisation the table entry
;; stays null and `_start` traps; pre-initialised, the init export ran at
;; build time and `$hello` (which only it names) is compiled and called.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (table 1 funcref)
  (data (i32.const 16) "called through the table\0a")
  (func $hello
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 25))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  (elem declare func $hello)
  (func (export "wizer.initialize")
    (table.set (i32.const 0) (ref.func $hello)))
  (func (export "_start")
    (call_indirect (i32.const 0))))
