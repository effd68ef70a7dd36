;; A .wasm symlink to a file that is not a module.
(module
  (import "./lib/notes.wasm" "f" (func))
  (func (export "_start")))
