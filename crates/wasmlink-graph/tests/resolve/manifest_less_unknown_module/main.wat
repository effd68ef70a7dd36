(module (import "env" "f" (func)) (func (export "_start")))
