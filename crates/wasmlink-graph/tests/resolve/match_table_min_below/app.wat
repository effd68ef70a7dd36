(module (import "lib" "x" (table 3 funcref)) (func (export "_start")))
