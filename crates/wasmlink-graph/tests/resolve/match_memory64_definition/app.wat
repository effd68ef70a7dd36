(module (import "lib" "x" (memory 1)) (func (export "_start")))
