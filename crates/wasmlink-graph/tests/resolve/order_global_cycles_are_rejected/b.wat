(module (import "a" "g" (global $ag i32)) (global (export "g") i32 (global.get $ag)))
