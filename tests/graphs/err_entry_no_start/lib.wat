;; a library module used as the entry: it has no _start.
(module (func (export "f")))
