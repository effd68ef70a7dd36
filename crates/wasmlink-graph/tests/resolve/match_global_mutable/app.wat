(module (import "lib" "x" (global (mut i32))) (func (export "_start")))
