(module (import "lib" "x" (table 2 funcref)) (func (export "_start")))
