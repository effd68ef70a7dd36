;; a's global is initialised from b's, and b's from a's: neither can be
;; instantiated first.
(module
  (import "b" "gb" (global $gb i32))
  (global (export "ga") i32 (global.get $gb))
  (func (export "_start")))
