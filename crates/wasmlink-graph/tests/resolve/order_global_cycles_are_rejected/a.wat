(module (import "b" "g" (global $bg i32)) (global (export "g") i32 (global.get $bg)) (func (export "_start")))
