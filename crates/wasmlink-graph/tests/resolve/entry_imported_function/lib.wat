(module (func (export "go")))
