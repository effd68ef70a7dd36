(module
  (import "c1" "bump" (func))
  (import "c2" "bump" (func))
  (import "c1" "n" (global (mut i32)))
  (import "c2" "memory" (memory 1))
  (func (export "_start")))
