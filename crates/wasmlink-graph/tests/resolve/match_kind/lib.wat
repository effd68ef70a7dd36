(module (func (export "x")))
