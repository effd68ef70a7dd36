(module (import "b" "f" (func)) (global (export "g") i32 (i32.const 1)) (func (export "_start")))
