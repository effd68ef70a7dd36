;;! format = "asm"
;;! wpo = "fixed-state,devirtualize,stack-checks"
;;! functions = "constants-per-block::run"
;;
;; Pins: every block that needs a constant in a register materialises its
;; own copy (compile/remat.rs). The zero passed to `$g` is used first in
;; the `if` arm (block2), then in the merge block (block3), which that arm
;; does not dominate, then in the loop (block4). Cranelift's mid-end
;; places the constant twice and loses its rematerialisation mark on the
;; second copy, so without the pass block3's zero (`%rbx`) stays live
;; through the loop and costs a callee-saved register. Here each of the
;; three blocks has its own `xorl %esi, %esi`, and only `%rbx` and `%r12`
;; (the loop's `$n` and `$s`) are saved. Inlining is off so the calls
;; stay.
(module
  (memory 1)
  (func $g (param i32 i32) (result i32)
    (i32.store (local.get 0) (local.get 1))
    (local.get 1))
  (func (export "run") (param $a i32) (param $n i32) (result i32)
    (local $s i32)
    (if (local.get $a)
      (then (drop (call $g (local.get $n) (i32.const 0)))))
    (local.set $s (call $g (local.get $a) (i32.const 0)))
    (loop $l
      (local.set $s (i32.add (local.get $s) (call $g (local.get $n) (i32.const 0))))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $s)))

;; ---- expected: BLESS=1 cargo test -p wasmlink-codegen --test disas rewrites everything below ----
;; function constants-per-block::run: 125 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 16 }
;;     subq $0x10, %rsp
;;     movq %rbx, (%rsp)
;;     unwind SaveReg { clobber_offset: 0, reg: p3i }
;;     movq %r12, 8(%rsp)
;;     unwind SaveReg { clobber_offset: 8, reg: p12i }
;;   block0:
;;     movq %rdx, %rbx
;;     load_ext_name %wasmlink_stack_limit+0, %rax
;;     movq    %rsp, %rcx
;;     cmpq (%rax), %rcx
;;     jb #trap=stk_ovf
;;     testl %esi, %esi
;;     movq %rsi, %r12
;;     jnz     label2; j label1
;;   block1:
;;     jmp     label3
;;   block2:
;;     uninit  %rsi
;;     xorl %esi, %esi
;;     movq %rbx, %rdi
;;     call    User(%constants-per-block::g)
;;     jmp     label3
;;   block3:
;;     uninit  %rsi
;;     xorl %esi, %esi
;;     movq %r12, %rdi
;;     call    User(%constants-per-block::g)
;;     movq %rax, %r12
;;     jmp     label4
;;   block4:
;;     uninit  %rsi
;;     xorl %esi, %esi
;;     movq %rbx, %rdi
;;     call    User(%constants-per-block::g)
;;     subl $0x1, %ebx
;;     movq %r12, %rcx
;;     leal (%rcx, %rax), %ecx
;;     movq %rcx, %r12
;;     testl %ebx, %ebx
;;     jnz     label5; j label6
;;   block5:
;;     jmp     label4
;;   block6:
;;     jmp     label7
;;   block7:
;;     jmp     label8
;;   block8:
;;     movq %r12, %rax
;;     movq (%rsp), %rbx
;;     movq 8(%rsp), %r12
;;     addq $0x10, %rsp
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
