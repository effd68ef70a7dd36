;;! format = "asm"
;;! wpo = "dead-code"
;;! functions = "dead-code::"
;;
;; Pins the `dead-code` optimisation: `run` (the entry: a listing takes
;; the first exported function) calls `used`; `unused` is exported but
;; nothing binds or calls it, so its code is a single trap (`ud2`) instead
;; of its body; `in_table` is named by an element segment, so it is kept
;; (it may be called through the table).
(module
  (table 1 funcref)
  (elem (i32.const 0) $in_table)
  (func $used (param i32) (result i32)
    (i32.mul (local.get 0) (i32.const 3)))
  (func $in_table (param i32) (result i32)
    (i32.add (local.get 0) (i32.const 1)))
  (func (export "run") (param i32) (result i32)
    (call $used (local.get 0)))
  (func (export "unused") (param i32) (result i32)
    (i32.sub (local.get 0) (i32.const 1))))

;; ---- expected: BLESS=1 cargo test -p wasmlink-codegen --test disas rewrites everything below ----
;; function dead-code::used: 12 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     jmp     label1
;;   block1:
;;     imull $0x3, %esi, %eax
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
;;
;; function dead-code::in_table: 12 bytes
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
;; function dead-code::run: 35 bytes
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
;;     call    User(%dead-code::used)
;;     jmp     label1
;;   block1:
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
;;
;; function dead-code::unused: 6 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     ud2
