(module (import "a" "f" (func)) (func (export "_start")))
