;; client: imports "api" and calls it; which counter it reaches depends on
;; which facade instance its own imports map names.
(module
  (import "api" "add" (func $add (param i32) (result i32)))
  (func (export "add") (param i32) (result i32) (call $add (local.get 0))))
