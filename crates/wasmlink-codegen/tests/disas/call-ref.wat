;;! format = "asm"
;;! functions = "call"
;;! wpo = "none"
;;
;; Pins: `call_ref` checks only for null (a typed reference needs no
;; signature check, unlike `call_indirect`): a test of the reference, a
;; trap, then the call through the funcref's code pointer and vmctx.
(module
  (type $t (func (param i32) (result i32)))
  (func (export "call") (param (ref null $t) i32) (result i32)
    (call_ref $t (local.get 1) (local.get 0)))
  (func (export "_start")))

;; ---- expected: BLESS=1 cargo test -p wasmlink-codegen --test disas rewrites everything below ----
;; function call-ref::call: 54 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     movq (%rdi), %r10
;;     movq (%r10), %r10
;;     addq $0x10, %r10
;;     cmpq %rsp, %r10
;;     jnbe #trap=stk_ovf
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     testq %rsi, %rsi
;;     jz #trap=user30_null_function_reference
;;     movq (%rsi), %r8
;;     movq 8(%rsi), %rdi
;;     movq %rdx, %rsi
;;     call    *%r8
;;     jmp     label1
;;   block1:
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
;;
;; function call-ref::_start: 9 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     jmp     label1
;;   block1:
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
