;;! format = "asm"
;;! wpo = "fixed-state"
;;! functions = "fixed-state::"
;;
;; Pins the `fixed-state` optimisation: this source has one instance, so
;; its function reaches its memory and its mutable global at the instance
;; vmctx's link-time address (`load_ext_name %__wl_i0_vmctx+0`), never
;; through the vmctx parameter (%rdi is not read).
(module
  (memory 1)
  (global $count (mut i32) (i32.const 0))
  (func (export "bump") (param i32) (result i32)
    (global.set $count (i32.add (global.get $count) (i32.load (local.get 0))))
    (global.get $count)))

;; ---- expected: BLESS=1 cargo test -p wasmlink-codegen --test disas rewrites everything below ----
;; function fixed-state::bump: 38 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     load_ext_name %__wl_i0_vmctx+0, %rdi
;;     movl 0x30(%rdi), %r8d
;;     movq 8(%rdi), %r9
;;     movl %esi, %r10d
;;     movl (%r9, %r10), %r9d
;;     leal (%r8, %r9), %eax
;;     movl %eax, 0x30(%rdi)
;;     jmp     label1
;;   block1:
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
