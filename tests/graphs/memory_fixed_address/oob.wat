;; An access past the end of the fixed-address memory through a large
;; static offset (0x20 + 0xfffffff0 = 4 GiB + 16) faults in the guard and
;; is the spec's trap.
(module
  (memory 1)
  (func (export "_start")
    (drop (i32.load offset=0xfffffff0 (i32.const 0x20)))))
