(module (import "lib" "go" (func)) (export "_start" (func 0)))
