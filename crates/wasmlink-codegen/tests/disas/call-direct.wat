;;! format = "asm"
;;! functions = "caller"
;;! wpo = "none"
;;
;; Pins: a call to a function of the same module is a direct `call` to its
;; symbol (`call User(%call-direct::add)`), and the caller's vmctx (%rdi) is
;; passed through untouched: no table, no vmctx load. The caller calls, so
;; its prologue has the stack-limit check (see stack-check-leaf.wat).
(module
  (func $add (param i32 i32) (result i32)
    (i32.add (local.get 0) (local.get 1)))
  (func (export "caller") (param i32) (result i32)
    (call $add (local.get 0) (i32.const 1))))

;; ---- expected: BLESS=1 cargo test -p wasmlink-codegen --test disas rewrites everything below ----
;; function call-direct::caller: 40 bytes
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
;;     movl $0x1, %edx
;;     call    User(%call-direct::add)
;;     jmp     label1
;;   block1:
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
