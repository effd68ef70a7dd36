(module (memory (export "m") 1) (func (export "f")))
