;; A name-section name holding terminal control sequences: ESC[2K and CR
;; would erase the trap line on a terminal, a C1 CSI (U+009B) starts a
;; sequence too, and U+202E reverses the text after it. All are escaped.
(module
  (func (export "_start") (call $"clear\1b[2K\0dfake|csi\c2\9b31m|rlo\e2\80\aeabc"))
  (func $"clear\1b[2K\0dfake|csi\c2\9b31m|rlo\e2\80\aeabc" unreachable))
