;;! format = "asm"
;;! wpo = "none"
;;
;; Pins: a 64-bit memory has no guard region, so every access is checked
;; explicitly: the address plus the end of the access (offset + size: 0x14
;; for a 4-byte load at offset 16) is computed with an overflow check (`jb
;; #trap=heap_oob`), compared with the memory's current length in the vmctx
;; (`cmpq 0x10(%rdi), %r8; jnbe #trap=heap_oob`), and only then is the base
;; loaded and the access made.
(module
  (memory i64 1)
  (func (export "load") (param $addr i64) (result i32)
    (i32.load offset=16 (local.get $addr)))
  (func (export "store") (param $addr i64) (param $v i32)
    (i32.store (local.get $addr) (local.get $v))))

;; ---- expected: BLESS=1 cargo test -p wasmlink-codegen --test disas rewrites everything below ----
;; function memory64-access::load: 45 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     movq %rsi, %r8
;;     addq $0x14, %r8
;;     jb #trap=heap_oob
;;     cmpq 0x10(%rdi), %r8
;;     jnbe #trap=heap_oob
;;     movq 8(%rdi), %r8
;;     movl 0x10(%r8, %rsi), %eax
;;     jmp     label1
;;   block1:
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
;;
;; function memory64-access::store: 44 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     movq %rsi, %r8
;;     addq $0x4, %r8
;;     jb #trap=heap_oob
;;     cmpq 0x10(%rdi), %r8
;;     jnbe #trap=heap_oob
;;     movq 8(%rdi), %r8
;;     movl %edx, (%r8, %rsi)
;;     jmp     label1
;;   block1:
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
