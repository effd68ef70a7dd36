;;! format = "asm"
;;! link = "dynamic"
;;! functions = "call-cross-instance-dynamic::"
;;
;; Pins: with `--link dynamic`, the call of call-cross-instance-static.wat
;; goes through the caller's funcref slot for the import: the code pointer
;; (`movq 0x10(%rdi), %r8`) and the callee's vmctx (`movq 0x18(%rdi),
;; %rdi`) are loaded from the caller's vmctx, then `call *%r8`.
(module
  (import "./lib/callee.wat" "add" (func $add (param i32 i32) (result i32)))
  (func (export "caller") (param i32) (result i32)
    (call $add (local.get 0) (i32.const 1))))

;; ---- expected: BLESS=1 cargo test -p wasmlink-codegen --test disas rewrites everything below ----
;; function call-cross-instance-dynamic::caller: 46 bytes
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
;;     movq 0x10(%rdi), %r8
;;     movq 0x18(%rdi), %rdi
;;     movl $0x1, %edx
;;     call    *%r8
;;     jmp     label1
;;   block1:
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
