(module (import "lib" "x" (memory 1 2)) (func (export "_start")))
