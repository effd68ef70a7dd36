(module (import "a" "ping" (func)) (func (export "pong")))
