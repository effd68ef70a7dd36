;;! format = "asm"
;;! functions = "dispatch"
;;! wpo = "none"
;;
;; Pins: `call_indirect` through a table defined in the module. It compares
;; the zero-extended index with the table's current length (`cmpq
;; 0x10(%rdi), %r11`, trap: undefined element), loads the funcref from the
;; table's base, traps on null (uninitialized element), compares the
;; funcref's signature id with the expected type's (`cmpq $0x1, %rsi`, trap:
;; indirect call type mismatch), then loads the code pointer and the
;; callee's vmctx from the funcref and calls `*%r8`.
(module
  (type $binop (func (param i32 i32) (result i32)))
  (table 2 funcref)
  (elem (i32.const 0) $add $sub)
  (func $add (type $binop) (i32.add (local.get 0) (local.get 1)))
  (func $sub (type $binop) (i32.sub (local.get 0) (local.get 1)))
  (func (export "dispatch") (param $which i32) (param $a i32) (param $b i32) (result i32)
    (call_indirect (type $binop) (local.get $a) (local.get $b) (local.get $which))))

;; ---- expected: BLESS=1 cargo test -p wasmlink-codegen --test disas rewrites everything below ----
;; function call-indirect::dispatch: 96 bytes
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
;;     movl %esi, %r11d
;;     cmpq 0x10(%rdi), %r11
;;     jnb #trap=user8_undefined_element
;;     movq 8(%rdi), %rax
;;     movq (%rax, %r11, 8), %rax
;;     testq %rax, %rax
;;     jz #trap=user9_uninitialized_element
;;     movq 0x10(%rax), %rsi
;;     cmpq $0x1, %rsi
;;     jnz #trap=user10_indirect_call_type_mismatch
;;     movq (%rax), %r8
;;     movq 8(%rax), %rdi
;;     movq %rdx, %rsi
;;     movq %rcx, %rdx
;;     call    *%r8
;;     jmp     label1
;;   block1:
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
