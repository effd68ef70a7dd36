;;! format = "asm"
;;! wpo = "fixed-state"
;;! functions = "vmctx-free::"
;;
;; Pins: with `fixed-state`, a function only direct calls of its own
;; module can reach takes no vmctx parameter. `$scale` (not exported, in
;; no table, named by no reference) gets its arguments from %rdi and %rsi
;; — the first argument registers, which a vmctx would take — and its
;; caller `run` passes none (no `load_ext_name` of a vmctx before the
;; call). `$scale` reads its global at the instance's link-time address.
;; Without Cranelift's vmctx-based stack check, the non-leaf `$scale`
;; checks `sp` against the limit cell at its link-time address
;; (`load_ext_name %wasmlink_stack_limit`) after its prologue. `$in_table`
;; (an element segment names it) and the exported `run` keep the vmctx
;; parameter: a funcref reaches them with the uniform convention (their
;; arguments start at %rsi).
(module
  (global $factor (mut i32) (i32.const 3))
  (table 1 funcref)
  (elem (i32.const 0) $in_table)
  (func $scale (param $x i32) (param $y i32) (result i32)
    (call $in_table (i32.mul (i32.add (local.get $x) (local.get $y)) (global.get $factor))))
  (func $in_table (param $x i32) (result i32)
    (i32.add (local.get $x) (i32.const 1)))
  (func (export "run") (param $x i32) (result i32)
    (call $scale (local.get $x) (i32.const 7))))

;; ---- expected: BLESS=1 cargo test -p wasmlink-codegen --test disas rewrites everything below ----
;; function vmctx-free::scale: 51 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     movq %rdi, %rax
;;     load_ext_name %wasmlink_stack_limit+0, %r8
;;     movq    %rsp, %r9
;;     cmpq (%r8), %r9
;;     jb #trap=stk_ovf
;;     load_ext_name %__wl_i0_vmctx+0, %rdi
;;     leal (%rax, %rsi), %esi
;;     imull 0x30(%rdi), %esi
;;     call    User(%vmctx-free::in_table)
;;     jmp     label1
;;   block1:
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
;;
;; function vmctx-free::in_table: 12 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     jmp     label1
;;   block1:
;;     leal 1(%rsi), %eax
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
;;
;; function vmctx-free::run: 43 bytes
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
;;     movq %rsi, %rdi
;;     movl $0x7, %esi
;;     call    User(%vmctx-free::scale)
;;     jmp     label1
;;   block1:
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
