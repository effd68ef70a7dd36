(module (import "lib" "x" (table 1 funcref)) (func (export "_start")))
