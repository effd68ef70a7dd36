(module (import "lib" "x" (func (param i32))) (func (export "_start")))
