;; Says "ready", then spins forever in a loop of memory loads (each one a
;; trap site of the out-of-bounds kind), so a signal from outside almost
;; always arrives with the PC at a trap site.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "\10\00\00\00\06\00\00\00")
  (data (i32.const 16) "ready\n")
  (func $spin (export "_start") (local $sum i32)
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (loop $forever
      (local.set $sum (i32.add (local.get $sum) (i32.load offset=100 (local.get $sum))))
      (local.set $sum (i32.add (local.get $sum) (i32.load offset=200 (local.get $sum))))
      (local.set $sum (i32.add (local.get $sum) (i32.load offset=300 (local.get $sum))))
      (local.set $sum (i32.add (local.get $sum) (i32.load offset=400 (local.get $sum))))
      (i32.store offset=500 (i32.const 0) (local.get $sum))
      (br $forever))))
