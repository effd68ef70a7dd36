;; Exits from its init export.
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (func (export "init") (call $exit (i32.const 3)))
  (func (export "_start")))
