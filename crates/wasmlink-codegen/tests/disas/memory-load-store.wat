;;! format = "asm"
;;! wpo = "none"
;;
;; Pins: loads and stores on a 32-bit memory carry no bounds check. The
;; memory is a reserved 8 GiB region (4 GiB + a 4 GiB guard), so the access
;; is `base + zext(addr) + offset` and an out-of-bounds address faults in
;; the guard. Each listing reads the memory base from the vmctx
;; (`movq 8(%rdi), %rsi`), zero-extends the address (`movl %edi, %edi`) and
;; makes the access with the static offset folded into it
;; (`movl 0x10(%rsi, %rdi), %eax`): no compare, no branch, no trap site.
(module
  (memory 1)
  (func (export "load") (param $addr i32) (result i32)
    (i32.load offset=16 (local.get $addr)))
  (func (export "store") (param $addr i32) (param $v i64)
    (i64.store offset=8 (local.get $addr) (local.get $v)))
  (func (export "load8_s") (param $addr i32) (result i32)
    (i32.load8_s (local.get $addr))))

;; ---- expected: BLESS=1 cargo test -p wasmlink-codegen --test disas rewrites everything below ----
;; function memory-load-store::load: 25 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     movq %rsi, %r8
;;     movq 8(%rdi), %rsi
;;     movq %r8, %rdi
;;     movl %edi, %edi
;;     movl 0x10(%rsi, %rdi), %eax
;;     jmp     label1
;;   block1:
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
;;
;; function memory-load-store::store: 26 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     movq %rsi, %r8
;;     movq 8(%rdi), %rsi
;;     movq %r8, %rdi
;;     movl %edi, %edi
;;     movq %rdx, 8(%rsi, %rdi)
;;     jmp     label1
;;   block1:
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
;;
;; function memory-load-store::load8_s: 26 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     movq %rsi, %r8
;;     movq 8(%rdi), %rsi
;;     movq %r8, %rdi
;;     movl %edi, %edi
;;     movsbq (%rsi, %rdi), %rax
;;     jmp     label1
;;   block1:
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
