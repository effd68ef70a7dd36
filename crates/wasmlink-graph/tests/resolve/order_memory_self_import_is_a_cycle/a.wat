(module (import "a" "m" (memory 1)) (memory (export "m") 1) (func (export "_start")))
