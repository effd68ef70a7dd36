;;! format = "asm"
;;! wpo = "inline"
;;! functions = "inline-cross-instance::"
;;
;; Pins the `inline` optimisation:
;; - `cross` calls `add` of lib/callee.wat, another instance: the call is
;;   gone, the callee's `addl` is in the caller (compare
;;   call-cross-instance-static.wat, where it is a `call`);
;; - `local` calls a small function of its own module: inlined too;
;; - `recursive` calls itself: never inlined, it stays a `call`.
(module
  (import "./lib/callee.wat" "add" (func $add (param i32 i32) (result i32)))
  (func $twice (param i32) (result i32)
    (i32.shl (local.get 0) (i32.const 1)))
  (func (export "cross") (param i32) (result i32)
    (call $add (local.get 0) (i32.const 1)))
  (func (export "local") (param i32) (result i32)
    (call $twice (local.get 0)))
  (func $recursive (export "recursive") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (call $recursive (i32.sub (local.get 0) (i32.const 1)))))))

;; ---- expected: BLESS=1 cargo test -p wasmlink-codegen --test disas rewrites everything below ----
;; function inline-cross-instance::twice: 14 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     jmp     label1
;;   block1:
;;     movq %rsi, %rax
;;     shll $1, %eax
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
;;
;; function inline-cross-instance::cross: 12 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     jmp     label1
;;   block1:
;;     jmp     label2
;;   block2:
;;     jmp     label3
;;   block3:
;;     jmp     label4
;;   block4:
;;     leal 1(%rsi), %eax
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
;;
;; function inline-cross-instance::local: 14 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     jmp     label1
;;   block1:
;;     jmp     label2
;;   block2:
;;     jmp     label3
;;   block3:
;;     jmp     label4
;;   block4:
;;     movq %rsi, %rax
;;     shll $1, %eax
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
;;
;; function inline-cross-instance::recursive: 53 bytes
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
;;     testl %esi, %esi
;;     jz      label2; j label1
;;   block1:
;;     subl $0x1, %esi
;;     call    User(%inline-cross-instance::recursive)
;;     jmp     label3
;;   block2:
;;     uninit  %rax
;;     xorl %eax, %eax
;;     jmp     label3
;;   block3:
;;     jmp     label4
;;   block4:
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
