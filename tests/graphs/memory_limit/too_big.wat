;; A memory whose minimum is 65536 pages cannot be created: start-up
;; fails with the runtime's message and status 1.
(module
  (memory 65536)
  (func (export "_start")))
