(module (import "./nope.wasm" "f" (func)) (func (export "_start")))
