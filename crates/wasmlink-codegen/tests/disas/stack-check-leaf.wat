;;! format = "asm"
;;! wpo = "none"
;;
;; Pins the stack-limit check as it is today: Cranelift emits it in the
;; prologue of every function that calls or has a frame, as `movq (%rdi),
;; %r10; movq (%r10), %r10` (vmctx+0 points to the limit cell), `addq
;; $FRAME, %r10; cmpq %rsp, %r10; jnbe #trap=stk_ovf`.
;; - `frameless_leaf` calls nothing and needs no stack: no check.
;; - `leaf_with_frame` calls nothing either, but keeps twelve loaded values
;;   live at once, so it saves five callee-saved registers (a 0x30-byte
;;   frame) and gets the check, with 0x30 added to the limit.
;; - `non_leaf` calls, so it gets the check (0x10 for its callees' frame
;;   set-up) although it has no frame of its own.
(module
  (memory 1)
  (func $frameless_leaf (export "frameless_leaf") (param i32 i32) (result i32)
    (i32.add (local.get 0) (local.get 1)))
  (func (export "leaf_with_frame") (param $p i32) (result i32)
    (local $v0 i32) (local $v1 i32) (local $v2 i32) (local $v3 i32) (local $v4 i32) (local $v5 i32)
    (local $v6 i32) (local $v7 i32) (local $v8 i32) (local $v9 i32) (local $v10 i32) (local $v11 i32)
    (local.set $v0 (i32.load offset=0 (local.get $p)))
    (local.set $v1 (i32.load offset=4 (local.get $p)))
    (local.set $v2 (i32.load offset=8 (local.get $p)))
    (local.set $v3 (i32.load offset=12 (local.get $p)))
    (local.set $v4 (i32.load offset=16 (local.get $p)))
    (local.set $v5 (i32.load offset=20 (local.get $p)))
    (local.set $v6 (i32.load offset=24 (local.get $p)))
    (local.set $v7 (i32.load offset=28 (local.get $p)))
    (local.set $v8 (i32.load offset=32 (local.get $p)))
    (local.set $v9 (i32.load offset=36 (local.get $p)))
    (local.set $v10 (i32.load offset=40 (local.get $p)))
    (local.set $v11 (i32.load offset=44 (local.get $p)))
    (i32.sub (local.get $v0)
     (i32.sub (local.get $v1)
      (i32.sub (local.get $v2)
       (i32.sub (local.get $v3)
        (i32.sub (local.get $v4)
         (i32.sub (local.get $v5)
          (i32.sub (local.get $v6)
           (i32.sub (local.get $v7)
            (i32.sub (local.get $v8)
             (i32.sub (local.get $v9)
              (i32.sub (local.get $v10)
               (local.get $v11)))))))))))))
  (func (export "non_leaf") (param i32) (result i32)
    (call $frameless_leaf (local.get 0) (i32.const 1))))

;; ---- expected: BLESS=1 cargo test -p wasmlink-codegen --test disas rewrites everything below ----
;; function stack-check-leaf::frameless_leaf: 12 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     jmp     label1
;;   block1:
;;     leal (%rsi, %rdx), %eax
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
;;
;; function stack-check-leaf::leaf_with_frame: 183 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     movq (%rdi), %r10
;;     movq (%r10), %r10
;;     addq $0x30, %r10
;;     cmpq %rsp, %r10
;;     jnbe #trap=stk_ovf
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 48 }
;;     subq $0x30, %rsp
;;     movq %rbx, (%rsp)
;;     unwind SaveReg { clobber_offset: 0, reg: p3i }
;;     movq %r12, 8(%rsp)
;;     unwind SaveReg { clobber_offset: 8, reg: p12i }
;;     movq %r13, 0x10(%rsp)
;;     unwind SaveReg { clobber_offset: 16, reg: p13i }
;;     movq %r14, 0x18(%rsp)
;;     unwind SaveReg { clobber_offset: 24, reg: p14i }
;;     movq %r15, 0x20(%rsp)
;;     unwind SaveReg { clobber_offset: 32, reg: p15i }
;;   block0:
;;     movq 8(%rdi), %r15
;;     movl %esi, %r10d
;;     movl (%r15, %r10), %eax
;;     movl 4(%r15, %r10), %edi
;;     movl 8(%r15, %r10), %r9d
;;     movl 0xc(%r15, %r10), %r11d
;;     movl 0x10(%r15, %r10), %ecx
;;     movl 0x14(%r15, %r10), %edx
;;     movl 0x18(%r15, %r10), %r8d
;;     movl 0x1c(%r15, %r10), %ebx
;;     movl 0x20(%r15, %r10), %r12d
;;     movl 0x24(%r15, %r10), %r13d
;;     movl 0x28(%r15, %r10), %r14d
;;     movl 0x2c(%r15, %r10), %esi
;;     jmp     label1
;;   block1:
;;     subl %esi, %r14d
;;     subl %r14d, %r13d
;;     subl %r13d, %r12d
;;     subl %r12d, %ebx
;;     subl %ebx, %r8d
;;     subl %r8d, %edx
;;     subl %edx, %ecx
;;     subl %ecx, %r11d
;;     subl %r11d, %r9d
;;     subl %r9d, %edi
;;     subl %edi, %eax
;;     movq (%rsp), %rbx
;;     movq 8(%rsp), %r12
;;     movq 0x10(%rsp), %r13
;;     movq 0x18(%rsp), %r14
;;     movq 0x20(%rsp), %r15
;;     addq $0x30, %rsp
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
;;
;; function stack-check-leaf::non_leaf: 40 bytes
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
;;     movl $0x1, %edx
;;     call    User(%stack-check-leaf::frameless_leaf)
;;     jmp     label1
;;   block1:
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
