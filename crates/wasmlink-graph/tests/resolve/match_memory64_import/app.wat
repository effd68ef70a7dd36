(module (import "lib" "x" (memory i64 1)) (func (export "_start")))
