(module (func (export "_start")) (func (export "run")) (func (export "bad") (param i32)) (memory (export "mem") 1))
