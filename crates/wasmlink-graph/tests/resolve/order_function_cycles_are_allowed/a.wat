(module (import "b" "pong" (func)) (func (export "ping")) (func (export "_start")))
