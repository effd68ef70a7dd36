;; Byte swaps written with shifts, masks and ors become `bswap`
;; (crates/wasmlink-codegen/tests/disas/byte-swap.wat). The recognition
;; must be exact: the swaps give every byte back reversed, and the near
;; misses below (a mask one bit off, two sources, an overlapping `add`, a
;; shift by a non-multiple of 8, a 16-bit swap of a value with more than
;; 16 bits) keep their own results.
(module
  (memory 1)
  (data (i32.const 0) "\12\34\56\78\9a\bc\de\f0")

  ;; __builtin_bswap32 as clang writes it for Wasm.
  (func (export "swap32") (param $x i32) (result i32)
    (i32.or
      (i32.or (i32.shl (local.get $x) (i32.const 24))
              (i32.and (i32.shl (local.get $x) (i32.const 8)) (i32.const 0xff0000)))
      (i32.or (i32.and (i32.shr_u (local.get $x) (i32.const 8)) (i32.const 0xff00))
              (i32.shr_u (local.get $x) (i32.const 24)))))
  ;; The same with rotations, and with a shift count Wasm takes mod 32.
  (func (export "swap32_rotate") (param $x i32) (result i32)
    (i32.or (i32.rotl (i32.and (local.get $x) (i32.const 0xff00ff00)) (i32.const 8))
            (i32.rotr (i32.and (local.get $x) (i32.const 0x00ff00ff)) (i32.const 40))))
  ;; Disjoint parts joined with `add` and `xor` instead of `or`.
  (func (export "swap32_add") (param $x i32) (result i32)
    (i32.add
      (i32.xor (i32.shl (local.get $x) (i32.const 24))
               (i32.and (i32.shl (local.get $x) (i32.const 8)) (i32.const 0xff0000)))
      (i32.add (i32.and (i32.shr_u (local.get $x) (i32.const 8)) (i32.const 0xff00))
               (i32.shr_u (local.get $x) (i32.const 24)))))
  ;; __builtin_bswap64 as clang writes it for Wasm.
  (func (export "swap64") (param $x i64) (result i64)
    (i64.or
      (i64.or
        (i64.or (i64.shl (local.get $x) (i64.const 56))
                (i64.and (i64.shl (local.get $x) (i64.const 40)) (i64.const 0x00ff000000000000)))
        (i64.or (i64.and (i64.shl (local.get $x) (i64.const 24)) (i64.const 0x0000ff0000000000))
                (i64.and (i64.shl (local.get $x) (i64.const 8)) (i64.const 0x000000ff00000000))))
      (i64.or
        (i64.or (i64.and (i64.shr_u (local.get $x) (i64.const 8)) (i64.const 0xff000000))
                (i64.and (i64.shr_u (local.get $x) (i64.const 24)) (i64.const 0xff0000)))
        (i64.or (i64.and (i64.shr_u (local.get $x) (i64.const 40)) (i64.const 0xff00))
                (i64.shr_u (local.get $x) (i64.const 56))))))
  ;; A big-endian 32-bit read: load, then swap.
  (func (export "load_be32") (param $p i32) (result i32)
    (call $swap32_of (i32.load (local.get $p))))
  (func $swap32_of (param $x i32) (result i32)
    (i32.or
      (i32.or (i32.shl (local.get $x) (i32.const 24))
              (i32.and (i32.shl (local.get $x) (i32.const 8)) (i32.const 0xff0000)))
      (i32.or (i32.and (i32.shr_u (local.get $x) (i32.const 8)) (i32.const 0xff00))
              (i32.shr_u (local.get $x) (i32.const 24)))))
  ;; __builtin_bswap16 of a halfword read from memory: `bswap`, `shr 16`.
  (func (export "load_be16") (param $p i32) (result i32)
    (local $x i32)
    (local.set $x (i32.load16_u (local.get $p)))
    (i32.and (i32.or (i32.shl (local.get $x) (i32.const 8))
                     (i32.shr_u (local.get $x) (i32.const 8)))
             (i32.const 0xffff)))

  ;; Near misses.
  ;; The same expression on a full 32-bit value: byte 1 mixes x0 and x2.
  (func (export "swap16_wide") (param $x i32) (result i32)
    (i32.and (i32.or (i32.shl (local.get $x) (i32.const 8))
                     (i32.shr_u (local.get $x) (i32.const 8)))
             (i32.const 0xffff)))
  ;; A mask with one bit of another byte.
  (func (export "mask_off_by_one") (param $x i32) (result i32)
    (i32.or
      (i32.or (i32.shl (local.get $x) (i32.const 24))
              (i32.and (i32.shl (local.get $x) (i32.const 8)) (i32.const 0xff0100)))
      (i32.or (i32.and (i32.shr_u (local.get $x) (i32.const 8)) (i32.const 0xff00))
              (i32.shr_u (local.get $x) (i32.const 24)))))
  ;; Two sources.
  (func (export "two_sources") (param $x i32) (param $y i32) (result i32)
    (i32.or
      (i32.or (i32.shl (local.get $x) (i32.const 24))
              (i32.and (i32.shl (local.get $x) (i32.const 8)) (i32.const 0xff0000)))
      (i32.or (i32.and (i32.shr_u (local.get $y) (i32.const 8)) (i32.const 0xff00))
              (i32.shr_u (local.get $x) (i32.const 24)))))
  ;; `add` of overlapping bytes carries into the next byte.
  (func (export "overlapping_add") (param $x i32) (result i32)
    (i32.add
      (i32.or (i32.shl (local.get $x) (i32.const 24))
              (i32.and (i32.shl (local.get $x) (i32.const 8)) (i32.const 0xff0000)))
      (i32.or (i32.and (i32.shr_u (local.get $x) (i32.const 8)) (i32.const 0xffff00))
              (i32.shr_u (local.get $x) (i32.const 24)))))
  ;; A shift by 25 bits instead of 24.
  (func (export "shift_25") (param $x i32) (result i32)
    (i32.or
      (i32.or (i32.shl (local.get $x) (i32.const 25))
              (i32.and (i32.shl (local.get $x) (i32.const 8)) (i32.const 0xff0000)))
      (i32.or (i32.and (i32.shr_u (local.get $x) (i32.const 8)) (i32.const 0xff00))
              (i32.shr_u (local.get $x) (i32.const 24)))))
  ;; A byte used twice and one never: not a permutation.
  (func (export "byte_twice") (param $x i32) (result i32)
    (i32.or
      (i32.or (i32.shl (local.get $x) (i32.const 24))
              (i32.and (i32.shl (local.get $x) (i32.const 16)) (i32.const 0xff0000)))
      (i32.or (i32.and (i32.shr_u (local.get $x) (i32.const 8)) (i32.const 0xff00))
              (i32.shr_u (local.get $x) (i32.const 24))))))

(assert_return (invoke "swap32" (i32.const 0x12345678)) (i32.const 0x78563412))
(assert_return (invoke "swap32" (i32.const 0xff000001)) (i32.const 0x010000ff))
(assert_return (invoke "swap32" (i32.const 0)) (i32.const 0))
(assert_return (invoke "swap32_rotate" (i32.const 0x12345678)) (i32.const 0x78563412))
(assert_return (invoke "swap32_rotate" (i32.const 0x80ff0102)) (i32.const 0x0201ff80))
(assert_return (invoke "swap32_add" (i32.const 0x12345678)) (i32.const 0x78563412))
(assert_return (invoke "swap32_add" (i32.const 0xffffffff)) (i32.const 0xffffffff))
(assert_return (invoke "swap64" (i64.const 0x0123456789abcdef)) (i64.const 0xefcdab8967452301))
(assert_return (invoke "swap64" (i64.const 0xff00000000000001)) (i64.const 0x01000000000000ff))
(assert_return (invoke "load_be32" (i32.const 0)) (i32.const 0x12345678))
(assert_return (invoke "load_be32" (i32.const 4)) (i32.const 0x9abcdef0))
(assert_return (invoke "load_be16" (i32.const 0)) (i32.const 0x1234))
(assert_return (invoke "load_be16" (i32.const 6)) (i32.const 0xdef0))
(assert_trap (invoke "load_be32" (i32.const 65534)) "out of bounds memory access")
(assert_trap (invoke "load_be16" (i32.const 65535)) "out of bounds memory access")

(assert_return (invoke "swap16_wide" (i32.const 0x00001234)) (i32.const 0x3412))
(assert_return (invoke "swap16_wide" (i32.const 0x00ff1234)) (i32.const 0xff12))
(assert_return (invoke "mask_off_by_one" (i32.const 0x12345678)) (i32.const 0x78563412))
(assert_return (invoke "mask_off_by_one" (i32.const 0x00000001)) (i32.const 0x01000100))
(assert_return (invoke "two_sources" (i32.const 0x12345678) (i32.const 0xaabbccdd)) (i32.const 0x7856bb12))
(assert_return (invoke "overlapping_add" (i32.const 0x12345678)) (i32.const 0x78683412))
(assert_return (invoke "shift_25" (i32.const 0x12345678)) (i32.const 0xf0563412))
(assert_return (invoke "byte_twice" (i32.const 0x12345678)) (i32.const 0x78783412))
