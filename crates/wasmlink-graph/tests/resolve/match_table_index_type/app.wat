(module (import "lib" "x" (table i64 1 funcref)) (func (export "_start")))
