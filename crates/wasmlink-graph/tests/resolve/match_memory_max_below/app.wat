(module (import "lib" "x" (memory 1 4)) (func (export "_start")))
