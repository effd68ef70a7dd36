(module (import "lib" "mem" (memory 1)) (export "m" (memory 0)))
