;;! format = "asm"
;;! wpo = "none"
;;
;; Pins: a 32-bit address `(x & mask) << k` whose shift cannot lose bits
;; (the mask's bound shifted by k fits in 32 bits) is widened before the
;; shift, so the access uses a scaled address mode:
;; `movl (%base, %idx, 4)` after the `andl`, no `shll`. The same for an
;; index loaded as a byte (`movzbq`, then `(%base, %idx, 8)`). Without a
;; bound (`masked_wide`: 0x7fffffff << 2 may wrap, `unbounded`: no mask)
;; the shift stays in 32 bits (`shll $0x2`) and the address is
;; zero-extended from it: Wasm's wrapping arithmetic is kept exactly.
(module
  (memory 1)
  (func (export "masked") (param $i i32) (result i32)
    (i32.load (i32.shl (i32.and (local.get $i) (i32.const 1023)) (i32.const 2))))
  (func (export "byte_index") (param $p i32) (result i64)
    (i64.load offset=64 (i32.shl (i32.load8_u (local.get $p)) (i32.const 3))))
  (func (export "masked_wide") (param $i i32) (result i32)
    (i32.load (i32.shl (i32.and (local.get $i) (i32.const 0x7fffffff)) (i32.const 2))))
  (func (export "unbounded") (param $i i32) (result i32)
    (i32.load (i32.shl (local.get $i) (i32.const 2)))))

;; ---- expected: BLESS=1 cargo test -p wasmlink-codegen --test disas rewrites everything below ----
;; function memory-scaled-index::masked: 22 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     movq 8(%rdi), %rdi
;;     andl $0x3ff, %esi
;;     movl (%rdi, %rsi, 4), %eax
;;     jmp     label1
;;   block1:
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
;;
;; function memory-scaled-index::byte_index: 29 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     movq 8(%rdi), %rdi
;;     movl %esi, %r8d
;;     movzbq (%rdi, %r8), %r8
;;     movl %r8d, %r8d
;;     movq 0x40(%rdi, %r8, 8), %rax
;;     jmp     label1
;;   block1:
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
;;
;; function memory-scaled-index::masked_wide: 25 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     movq 8(%rdi), %rdi
;;     andl $0x7fffffff, %esi
;;     shll $0x2, %esi
;;     movl (%rdi, %rsi), %eax
;;     jmp     label1
;;   block1:
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
;;
;; function memory-scaled-index::unbounded: 19 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     movq 8(%rdi), %rdi
;;     shll $0x2, %esi
;;     movl (%rdi, %rsi), %eax
;;     jmp     label1
;;   block1:
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
