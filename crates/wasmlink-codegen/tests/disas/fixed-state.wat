;;! format = "asm"
;;! wpo = "fixed-state"
;;! functions = "fixed-state::"
;;
;; Pins the `fixed-state` optimisation: this source has one instance, so
;; its function reaches its memory and its mutable global at the instance
;; vmctx's link-time address (`load_ext_name %__wl_i0_vmctx+0`), never
;; through the vmctx parameter (%rdi is not read), and its immutable
;; global $step (a number) is that number: `bump` adds `$step` as an
;; immediate (no load).
(module
  (memory 1)
  (global $count (mut i32) (i32.const 0))
  (global $step i32 (i32.const 5))
  (func (export "bump") (param i32) (result i32)
    (global.set $count
      (i32.add (i32.add (global.get $count) (i32.load (local.get 0))) (global.get $step)))
    (global.get $count)))

;; ---- expected: BLESS=1 cargo test -p wasmlink-codegen --test disas rewrites everything below ----
;; function fixed-state::bump: 45 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     load_ext_name %__wl_i0_vmctx+0, %r9
;;     movl 0x30(%r9), %r8d
;;     movq 8(%r9), %r10
;;     movl %esi, %r11d
;;     movl (%r10, %r11), %r10d
;;     leal 5(%r8, %r10), %r11d
;;     movl %r11d, 0x30(%r9)
;;     jmp     label1
;;   block1:
;;     leal 5(%r8, %r10), %eax
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
