(module (import "lib" "x" (memory 2)) (func (export "_start")))
