;; An entry with parameters: the executable reads them from its command
;; line (as `wasmtime run --invoke` does) and prints the results, one per
;; line. Instantiation (the start function) runs only after the arguments
;; parsed.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "\10\00\00\00\08\00\00\00")
  (data (i32.const 16) "started\n")
  (func $start (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 64))))
  (start $start)
  (func (export "mix") (param i32 i64 f32 f64) (result f64 i32 i64 f32)
    (f64.mul (local.get 3) (f64.const 2))
    (i32.mul (local.get 0) (i32.const 3))
    (i64.sub (i64.const 0) (local.get 1))
    (f32.div (local.get 2) (f32.const 0))))
