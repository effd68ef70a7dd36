(module (import "a" "g" (func $g)) (export "f" (func $g)))
