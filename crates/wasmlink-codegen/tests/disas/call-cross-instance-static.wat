;;! format = "asm"
;;! link = "static"
;;! functions = "call-cross-instance-static::"
;;! wpo = "none"
;;
;; Pins: with `--link static`, a call to another instance's function (`add`
;; of lib/callee.wat, an instance of its own) is a direct call to the
;; callee's symbol (`call User(%lib/callee.wat::add)`) with the callee
;; instance's vmctx as a link-time address (`load_ext_name
;; %__wl_i1_vmctx+0, %rdi`): nothing is loaded from the caller's vmctx and
;; the call is not indirect. Compare call-cross-instance-dynamic.wat.
(module
  (import "./lib/callee.wat" "add" (func $add (param i32 i32) (result i32)))
  (func (export "caller") (param i32) (result i32)
    (call $add (local.get 0) (i32.const 1))))

;; ---- expected: BLESS=1 cargo test -p wasmlink-codegen --test disas rewrites everything below ----
;; function call-cross-instance-static::caller: 47 bytes
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
;;     load_ext_name %__wl_i1_vmctx+0, %rdi
;;     movl $0x1, %edx
;;     call    User(%lib/callee.wat::add)
;;     jmp     label1
;;   block1:
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
