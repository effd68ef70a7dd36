(module (import "wasi_snapshot_preview1" "fd_frobnicate" (func)) (func (export "_start")))
