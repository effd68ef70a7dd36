;; `spectest.print_char` for MoonBit's wasm-gc output, on WASI: the program
;; passes one UTF-16 code unit per call; this module encodes it as UTF-8
;; (joining surrogate pairs) and writes it to stdout with fd_write.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  ;; 0..8: iovec {buf = 16, len}; 8..12: nwritten; 16..20: bytes
  (global $high (mut i32) (i32.const 0))
  (func $write (param $n i32)
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (local.get $n))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func $cont (param $at i32) (param $v i32)
    (i32.store8 (local.get $at) (i32.or (i32.const 0x80) (i32.and (local.get $v) (i32.const 0x3f)))))
  (func $emit (param $cp i32)
    (if (i32.lt_u (local.get $cp) (i32.const 0x80))
      (then (i32.store8 (i32.const 16) (local.get $cp)) (call $write (i32.const 1)) (return)))
    (if (i32.lt_u (local.get $cp) (i32.const 0x800))
      (then
        (i32.store8 (i32.const 16) (i32.or (i32.const 0xc0) (i32.shr_u (local.get $cp) (i32.const 6))))
        (call $cont (i32.const 17) (local.get $cp))
        (call $write (i32.const 2)) (return)))
    (if (i32.lt_u (local.get $cp) (i32.const 0x10000))
      (then
        (i32.store8 (i32.const 16) (i32.or (i32.const 0xe0) (i32.shr_u (local.get $cp) (i32.const 12))))
        (call $cont (i32.const 17) (i32.shr_u (local.get $cp) (i32.const 6)))
        (call $cont (i32.const 18) (local.get $cp))
        (call $write (i32.const 3)) (return)))
    (i32.store8 (i32.const 16) (i32.or (i32.const 0xf0) (i32.shr_u (local.get $cp) (i32.const 18))))
    (call $cont (i32.const 17) (i32.shr_u (local.get $cp) (i32.const 12)))
    (call $cont (i32.const 18) (i32.shr_u (local.get $cp) (i32.const 6)))
    (call $cont (i32.const 19) (local.get $cp))
    (call $write (i32.const 4)))
  (func (export "print_char") (param $c i32)
    (local.set $c (i32.and (local.get $c) (i32.const 0xffff)))
    (if (global.get $high)
      (then
        (if (i32.eq (i32.and (local.get $c) (i32.const 0xfc00)) (i32.const 0xdc00))
          (then
            (call $emit (i32.add (i32.const 0x10000)
              (i32.or (i32.shl (i32.sub (global.get $high) (i32.const 0xd800)) (i32.const 10))
                      (i32.sub (local.get $c) (i32.const 0xdc00)))))
            (global.set $high (i32.const 0))
            (return)))
        ;; a lone high surrogate: U+FFFD
        (call $emit (i32.const 0xfffd))
        (global.set $high (i32.const 0))))
    (if (i32.eq (i32.and (local.get $c) (i32.const 0xfc00)) (i32.const 0xd800))
      (then (global.set $high (local.get $c)) (return)))
    (if (i32.eq (i32.and (local.get $c) (i32.const 0xfc00)) (i32.const 0xdc00))
      (then (local.set $c (i32.const 0xfffd))))
    (call $emit (local.get $c))))
