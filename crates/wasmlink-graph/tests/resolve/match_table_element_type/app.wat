(module (import "lib" "x" (table 1 externref)) (func (export "_start")))
