(module (import "api" "add" (func (param i64 i64) (result i64))) (func (export "_start")))
