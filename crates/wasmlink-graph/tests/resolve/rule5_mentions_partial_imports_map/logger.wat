(module (func (export "print")))
