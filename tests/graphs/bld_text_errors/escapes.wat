;; The failing line holds terminal escapes: they are shown escaped.
(module
  (func $f [2J[31mred (nop)))
