(module (import "a" "g" (global i32)) (func (export "f")))
