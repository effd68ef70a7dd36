(module (import "lib" "x" (table 1 10 funcref)) (func (export "_start")))
