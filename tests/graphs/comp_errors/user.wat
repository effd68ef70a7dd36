(module (import "comp" "run" (func)) (func (export "_start")))
