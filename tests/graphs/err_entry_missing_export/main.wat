(module (func (export "_start")) (func (export "other")))
