(module (import "comp" "calc" (func (param i32) (result i32))) (func (export "_start")))
