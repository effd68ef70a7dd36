;; `read` past the end of the content traps, even within the data
;; memory's last page; so does a destination past the caller's memory.
(module
  (import "d" "read" (func $read (param i32 i32 i32)))
  (import "d" "len" (global $len i32))
  (memory 1)
  (func (export "_start")
    ;; Up to the last byte: fine.
    (call $read (i32.const 0) (i32.const 4) (i32.const 8))
    ;; The destination runs past the caller's memory.
    (call $read (i32.const 65530) (i32.const 0) (global.get $len))))
