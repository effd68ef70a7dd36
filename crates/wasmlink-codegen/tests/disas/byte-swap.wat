;;! format = "asm"
;;! wpo = "inline,fixed-state,devirtualize,stack-checks"
;;
;; Pins: a tree of shifts, byte masks and ors that reverses the bytes of
;; one value becomes `bswap` (translate/byte_swap.rs).
;; - `swap32`, `__builtin_bswap32` as clang writes it for Wasm (thirteen
;;   instructions before): `bswapl`.
;; - `swap64`, `__builtin_bswap64`: `bswapq`.
;; - `swap32_add`, the disjoint bytes joined by `xor` and `add` instead of
;;   `or`: `bswapl`.
;; - `load_be16`, a 16-bit swap of a halfword read with `load16_u`, whose
;;   upper bytes are zero: `bswapl`, then `shrl $0x10`.
;; - `swap16_wide`, the same expression on a parameter, whose bytes 2 and
;;   3 are unknown, so byte 1 mixes two bytes: the shifts stay.
;; - `two_sources`, bytes taken from two values: the shifts stay.
(module
  (memory 1)
  (func (export "swap32") (param $x i32) (result i32)
    (i32.or
      (i32.or (i32.shl (local.get $x) (i32.const 24))
              (i32.and (i32.shl (local.get $x) (i32.const 8)) (i32.const 0xff0000)))
      (i32.or (i32.and (i32.shr_u (local.get $x) (i32.const 8)) (i32.const 0xff00))
              (i32.shr_u (local.get $x) (i32.const 24)))))
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
  (func (export "swap32_add") (param $x i32) (result i32)
    (i32.add
      (i32.xor (i32.shl (local.get $x) (i32.const 24))
               (i32.and (i32.shl (local.get $x) (i32.const 8)) (i32.const 0xff0000)))
      (i32.add (i32.and (i32.shr_u (local.get $x) (i32.const 8)) (i32.const 0xff00))
               (i32.shr_u (local.get $x) (i32.const 24)))))
  (func (export "load_be16") (param $p i32) (result i32)
    (local $x i32)
    (local.set $x (i32.load16_u (local.get $p)))
    (i32.and (i32.or (i32.shl (local.get $x) (i32.const 8))
                     (i32.shr_u (local.get $x) (i32.const 8)))
             (i32.const 0xffff)))
  (func (export "swap16_wide") (param $x i32) (result i32)
    (i32.and (i32.or (i32.shl (local.get $x) (i32.const 8))
                     (i32.shr_u (local.get $x) (i32.const 8)))
             (i32.const 0xffff)))
  (func (export "two_sources") (param $x i32) (param $y i32) (result i32)
    (i32.or
      (i32.or (i32.shl (local.get $x) (i32.const 24))
              (i32.and (i32.shl (local.get $x) (i32.const 8)) (i32.const 0xff0000)))
      (i32.or (i32.and (i32.shr_u (local.get $y) (i32.const 8)) (i32.const 0xff00))
              (i32.shr_u (local.get $x) (i32.const 24))))))

;; ---- expected: BLESS=1 cargo test -p wasmlink-codegen --test disas rewrites everything below ----
;; function byte-swap::swap32: 14 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     jmp     label1
;;   block1:
;;     movq %rsi, %rax
;;     bswapl %eax
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
;;
;; function byte-swap::swap64: 15 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     jmp     label1
;;   block1:
;;     movq %rsi, %rax
;;     bswapq %rax
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
;;
;; function byte-swap::swap32_add: 14 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     jmp     label1
;;   block1:
;;     movq %rsi, %rax
;;     bswapl %eax
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
;;
;; function byte-swap::load_be16: 24 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     movl %esi, %esi
;;     movzwq 0x60000000(%rsi), %rax
;;     jmp     label1
;;   block1:
;;     bswapl %eax
;;     shrl $0x10, %eax
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
;;
;; function byte-swap::swap16_wide: 25 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     jmp     label1
;;   block1:
;;     movq %rsi, %rax
;;     shll $0x8, %eax
;;     shrl $0x8, %esi
;;     orl %esi, %eax
;;     andl $0xffff, %eax
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
;;
;; function byte-swap::two_sources: 48 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     jmp     label1
;;   block1:
;;     movq %rsi, %rax
;;     shll $0x18, %eax
;;     movq %rsi, %r11
;;     shll $0x8, %r11d
;;     andl $0xff0000, %r11d
;;     orl %r11d, %eax
;;     shrl $0x8, %edx
;;     andl $0xff00, %edx
;;     shrl $0x18, %esi
;;     orl %esi, %edx
;;     orl %edx, %eax
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
