(module (import "mid" "m" (memory 1 2)) (func (export "_start")))
