(module
  (global (export "g") i32 (i32.const 1)))
