(module (import "lib" "x" (global (mut i64))) (func (export "_start")))
