(module (import "b" "f" (func $f)) (export "g" (func $f)) (func (export "_start")))
