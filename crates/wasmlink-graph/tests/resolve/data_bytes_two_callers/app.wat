(module
  (import "words" "len" (global i32))
  (import "words" "read" (func (param i32 i32 i32)))
  (import "words2" "memory" (memory 1))
  (memory (export "memory") 1)
  (func (export "_start")))
