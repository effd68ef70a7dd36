;; lib ends the whole program from inside a call made by main.
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (func (export "quit") (param $code i32)
    (call $proc_exit (local.get $code))
    unreachable))
