;; lib: "./util.wat" is resolved next to this file (lib/util.wat).
(module
  (import "./util.wat" "bump" (func $bump))
  (func (export "bump_twice") (call $bump) (call $bump)))
