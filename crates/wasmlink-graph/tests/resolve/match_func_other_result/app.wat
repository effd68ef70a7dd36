(module (import "lib" "x" (func (param i32) (result i64))) (func (export "_start")))
