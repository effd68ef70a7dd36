;; The library the generated module imports from: it has no export of the
;; long name asked for.
(module
  (func (export "_start"))
  (func (export "other")))
