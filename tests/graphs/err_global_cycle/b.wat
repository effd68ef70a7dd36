(module
  (import "a" "ga" (global $ga i32))
  (global (export "gb") i32 (global.get $ga)))
