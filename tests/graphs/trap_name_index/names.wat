;; No name and no export: func[N], N in the function index space (which
;; counts imported functions first: fd_write is 0, _start 1, this one 2).
(module
  (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
  (func (export "_start") (call 2))
  (func unreachable))
