;;! format = "asm"
;;! wpo = "none"
;;
;; Pins: a narrowing store of a constant (`i32.store8`, `i32.store16`,
;; `i64.store32`) is one `mov` of an immediate to memory (`movb $0x1`,
;; `movw $0xfffe`, `movl $0x7`), as a full-width store of a constant is:
;; the constant is not first materialised in a register, which a hot loop
;; (the sieve's `composite[j] = 1`) would keep live across its whole body.
;; The immediate is the constant truncated to the store's width
;; (`i32.store16` of -2 stores 0xfffe).
(module
  (memory 1)
  (func (export "flag") (param $addr i32)
    (i32.store8 (local.get $addr) (i32.const 1)))
  (func (export "half") (param $addr i32)
    (i32.store16 offset=2 (local.get $addr) (i32.const -2)))
  (func (export "word") (param $addr i32)
    (i64.store32 (local.get $addr) (i64.const 0x100000007)))
  (func (export "full") (param $addr i32)
    (i32.store (local.get $addr) (i32.const 9))))

;; ---- expected: BLESS=1 cargo test -p wasmlink-codegen --test disas rewrites everything below ----
;; function memory-store-immediate::flag: 25 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     movq %rsi, %r8
;;     movq 8(%rdi), %rsi
;;     movq %r8, %rdi
;;     movl %edi, %edi
;;     movb $0x1, (%rsi, %rdi)
;;     jmp     label1
;;   block1:
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
;;
;; function memory-store-immediate::half: 28 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     movq %rsi, %r8
;;     movq 8(%rdi), %rsi
;;     movq %r8, %rdi
;;     movl %edi, %edi
;;     movw $0xfffe, 2(%rsi, %rdi)
;;     jmp     label1
;;   block1:
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
;;
;; function memory-store-immediate::word: 28 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     movq %rsi, %r8
;;     movq 8(%rdi), %rsi
;;     movq %r8, %rdi
;;     movl %edi, %edi
;;     movl $0x7, (%rsi, %rdi)
;;     jmp     label1
;;   block1:
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
;;
;; function memory-store-immediate::full: 28 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     movq %rsi, %r8
;;     movq 8(%rdi), %rsi
;;     movq %r8, %rdi
;;     movl %edi, %edi
;;     movl $0x9, (%rsi, %rdi)
;;     jmp     label1
;;   block1:
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
