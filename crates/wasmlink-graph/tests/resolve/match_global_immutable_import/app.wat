(module (import "lib" "x" (global i32)) (func (export "_start")))
