;;! format = "asm"
;;! functions = "try-table::catch"
;;! wpo = "none"
;;
;; Pins: inside a `try_table` a call is a `try_call` (`catch [context
;; stack0, tag112: …]`: the handlers go to the call-site table, and the
;; vmctx is spilled where the unwinder reads the tag slots from — tag 112
;; is the vmctx offset of the tag's slot); the handler block (block3)
;; copies the payload out of the exception, frees it and joins the
;; clause's label. The non-throwing path is the call and a jump; as every
;; register is clobbered on the exceptional edge, the function saves the
;; callee-saved registers it keeps values in. Outside a `try_table` a call
;; stays a plain call (`call-direct.wat`).
(module
  (tag $e (param i32))
  (func $callee (param i32) (result i32) (local.get 0))
  (func (export "catch") (param i32) (result i32)
    (block $h (result i32)
      (try_table (result i32) (catch $e $h)
        (call $callee (local.get 0)))))
  (func (export "plain") (param i32) (result i32)
    (call $callee (local.get 0)))
  (func (export "_start")))

;; ---- expected: BLESS=1 cargo test -p wasmlink-codegen --test disas rewrites everything below ----
;; function try-table::catch: 126 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     movq (%rdi), %r10
;;     movq (%r10), %r10
;;     addq $0x50, %r10
;;     cmpq %rsp, %r10
;;     jnbe #trap=stk_ovf
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 48 }
;;     subq $0x40, %rsp
;;     movq %rbx, 0x10(%rsp)
;;     unwind SaveReg { clobber_offset: 0, reg: p3i }
;;     movq %r12, 0x18(%rsp)
;;     unwind SaveReg { clobber_offset: 8, reg: p12i }
;;     movq %r13, 0x20(%rsp)
;;     unwind SaveReg { clobber_offset: 16, reg: p13i }
;;     movq %r14, 0x28(%rsp)
;;     unwind SaveReg { clobber_offset: 24, reg: p14i }
;;     movq %r15, 0x30(%rsp)
;;     unwind SaveReg { clobber_offset: 32, reg: p15i }
;;   block0:
;;     movq %rdi, <offset:1>+(%rsp)
;;     call    User(%try-table::callee); jmp MachLabel(1); catch [context stack0, tag112: MachLabel(3)]
;;   block1:
;;     jmp     label2
;;   block2:
;;     movq %rax, %rbx
;;     jmp     label4
;;   block3:
;;     movq %rax, %rdi
;;     movl 0x30(%rdi), %eax
;;     movq %rax, %rbx
;;     load_ext_name %wasmlink_exception_done+0, %rcx
;;     call    *%rcx
;;     jmp     label4
;;   block4:
;;     jmp     label5
;;   block5:
;;     movq %rbx, %rax
;;     movq 0x10(%rsp), %rbx
;;     movq 0x18(%rsp), %r12
;;     movq 0x20(%rsp), %r13
;;     movq 0x28(%rsp), %r14
;;     movq 0x30(%rsp), %r15
;;     addq $0x40, %rsp
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
