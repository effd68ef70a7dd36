;; wasmlink's memory limit, 65535 pages (4 GiB less one page): growing a
;; memory to 65536 pages fails with -1 (the spec lets any growth fail),
;; and exit status 3 says so.
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory 1)
  (func (export "_start")
    (if (i32.ne (memory.grow (i32.const 65535)) (i32.const -1))
      (then unreachable))
    (call $exit (i32.const 3))))
