;; Two instances of one source: writing into one's memory leaves the other's
;; data segment untouched.
(module
  (import "one" "poke" (func $poke1 (param i32 i32)))
  (import "one" "show" (func $show1))
  (import "two" "poke" (func $poke2 (param i32 i32)))
  (import "two" "show" (func $show2))
  (func (export "_start")
    (call $show1)
    (call $show2)
    (call $poke1 (i32.const 0) (i32.const 0x48))   ;; 'H'
    (call $poke2 (i32.const 11) (i32.const 0x53))  ;; 'S'
    (call $show1)
    (call $show2)))
