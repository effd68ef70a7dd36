;;! format = "asm"
;;! wpo = "dead-code"
;;! functions = "dead-code::"
;;
;; Pins the `dead-code` optimisation: `run` (the entry: a listing takes
;; the first exported function) calls `used` and calls through table
;; $calls, so `in_table`, which an element segment puts there, is kept.
;; Nothing else is: `unused` is exported but nothing binds or calls it;
;; `in_spare` is only in table $spare, which nothing uses (the table is
;; never created, its segment never applied); `in_global` is named only
;; by a global nothing reads (never initialised). A dead function has no
;; code: its references name one shared trap.
(module
  (type $unary (func (param i32) (result i32)))
  (table $calls 1 funcref)
  (table $spare 1 funcref)
  (elem (table $calls) (i32.const 0) func $in_table)
  (elem (table $spare) (i32.const 0) func $in_spare)
  (global $unread funcref (ref.func $in_global))
  (func $used (param i32) (result i32)
    (i32.mul (local.get 0) (i32.const 3)))
  (func $in_table (param i32) (result i32)
    (i32.add (local.get 0) (i32.const 1)))
  (func (export "run") (param i32) (result i32)
    (call_indirect $calls (type $unary)
      (call $used (local.get 0)) (local.get 0)))
  (func (export "unused") (param i32) (result i32)
    (i32.sub (local.get 0) (i32.const 1)))
  (func $in_spare (param i32) (result i32)
    (i32.sub (local.get 0) (i32.const 2)))
  (func $in_global (param i32) (result i32)
    (i32.sub (local.get 0) (i32.const 3))))

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
;; function dead-code::run: 131 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     movq (%rdi), %r10
;;     movq (%r10), %r10
;;     addq $0x20, %r10
;;     cmpq %rsp, %r10
;;     jnbe #trap=stk_ovf
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 16 }
;;     subq $0x10, %rsp
;;     movq %r12, (%rsp)
;;     unwind SaveReg { clobber_offset: 0, reg: p12i }
;;     movq %r13, 8(%rsp)
;;     unwind SaveReg { clobber_offset: 8, reg: p13i }
;;   block0:
;;     movq %rdi, %r12
;;     movq %rsi, %r13
;;     call    User(%dead-code::used)
;;     movl %r13d, %r10d
;;     cmpq 0x10(%r12), %r10
;;     jnb #trap=user8_undefined_element
;;     movq 8(%r12), %rcx
;;     movq (%rcx, %r10, 8), %rcx
;;     testq %rcx, %rcx
;;     jz #trap=user9_uninitialized_element
;;     movq 0x10(%rcx), %rdx
;;     cmpq $0x1, %rdx
;;     jnz #trap=user10_indirect_call_type_mismatch
;;     movq (%rcx), %rdx
;;     movq 8(%rcx), %rdi
;;     movq %rax, %rsi
;;     call    *%rdx
;;     jmp     label1
;;   block1:
;;     movq (%rsp), %r12
;;     movq 8(%rsp), %r13
;;     addq $0x10, %rsp
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
;;
;; function dead-code::unused: 0 bytes
;;   not emitted: the program can never run it
;;
;; function dead-code::in_spare: 0 bytes
;;   not emitted: the program can never run it
;;
;; function dead-code::in_global: 0 bytes
;;   not emitted: the program can never run it
