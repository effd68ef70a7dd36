(module (import "lib" "x" (table 1 5 funcref)) (func (export "_start")))
