(module (import "lib" "x" (global i64)) (func (export "_start")))
