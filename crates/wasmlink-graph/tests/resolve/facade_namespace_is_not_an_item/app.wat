(module (import "api" "m" (func)) (func (export "_start")))
