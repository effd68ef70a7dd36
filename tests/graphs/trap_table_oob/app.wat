;; table.get past the end of a table: out of bounds table access.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "\10\00\00\00\06\00\00\00")
  (data (i32.const 16) "start\n")
  (table $t 4 funcref)
  (func $get (param $i i32) (result funcref)
    (table.get $t (local.get $i)))
  (func $main (export "_start")
    (drop (call $get (i32.const 3)))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (drop (call $get (i32.const 4)))))
