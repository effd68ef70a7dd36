(module (import "api/x" "mul" (func)) (func (export "_start")))
