(module
  (import "host" "log" (func))
  (import "host" "warn" (func))
  (func (export "_start")))
