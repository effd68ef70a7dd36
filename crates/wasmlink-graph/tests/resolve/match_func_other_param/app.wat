(module (import "lib" "x" (func (param f32) (result i32))) (func (export "_start")))
