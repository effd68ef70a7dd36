;;! format = "asm"
;;! wpo = "inline,fixed-state"
;;! functions = "inline-merged-state::"
;;
;; Pins that bodies inlined from one instance share its state: `bump`
;; inlines lib/container.wat's `get` and `set`, each of which reads the
;; container's memory base from its vmctx at a link-time address. The
;; inlined bodies' global values for that vmctx are merged, so the base is
;; loaded once (one `load_ext_name %__wl_i1_vmctx`, one `movq 8(…)`) and
;; both the load and the store use the same register.
(module
  (import "./lib/container.wat" "get" (func $get (param i32) (result i32)))
  (import "./lib/container.wat" "set" (func $set (param i32 i32)))
  (func (export "bump") (param $i i32)
    (call $set (local.get $i) (i32.add (call $get (local.get $i)) (i32.const 1)))))

;; ---- expected: BLESS=1 cargo test -p wasmlink-codegen --test disas rewrites everything below ----
;; function inline-merged-state::bump: 38 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     jmp     label1
;;   block1:
;;     load_ext_name %__wl_i1_vmctx+0, %rdi
;;     movq 8(%rdi), %rdi
;;     andl $0x3ff, %esi
;;     movl (%rdi, %rsi, 4), %r8d
;;     jmp     label2
;;   block2:
;;     jmp     label3
;;   block3:
;;     jmp     label4
;;   block4:
;;     leal 1(%r8), %r10d
;;     movl %r10d, (%rdi, %rsi, 4)
;;     jmp     label5
;;   block5:
;;     jmp     label6
;;   block6:
;;     jmp     label7
;;   block7:
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
