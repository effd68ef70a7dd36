(module
  (import "wasi:http/types@0.2.0" "[resource-drop]fields" (func (param i32)))
  (func (export "_start")))
