;; imports a WASI preview 1 function that does not exist.
(module
  (import "wasi_snapshot_preview1" "fd_frobnicate" (func $f (param i32) (result i32)))
  (func (export "_start") (drop (call $f (i32.const 1)))))
