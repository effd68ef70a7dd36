;; main reaches ops' functions only through the imported table: the trap
;; is reported in ops::div, the function that executed the division.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "ops" "ops" (table 2 funcref))
  (type $binop (func (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "\10\00\00\00\06\00\00\00")
  (data (i32.const 16) "start\n")
  (func $apply (param $op i32) (param $a i32) (param $b i32) (result i32)
    (call_indirect (type $binop) (local.get $a) (local.get $b) (local.get $op)))
  (func (export "_start")
    (drop (call $apply (i32.const 1) (i32.const 6) (i32.const 3)))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (drop (call $apply (i32.const 1) (i32.const 6) (i32.const 0)))))
