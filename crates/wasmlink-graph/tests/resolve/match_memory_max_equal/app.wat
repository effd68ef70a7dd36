(module (import "lib" "x" (memory 1 3)) (func (export "_start")))
