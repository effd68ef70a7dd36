;;! format = "asm"
;;! wpo = "stack-checks"
;;
;; Pins the `stack-checks` optimisation on the module of
;; stack-check-leaf.wat (which shows the checks without it):
;; - `leaf_with_frame` calls nothing and its frame is small: no check at
;;   all (the runtime's 256 KiB margin below the limit holds the frame).
;; - `non_leaf` calls, so it is checked, but the limit is read from the
;;   program's limit cell at its link-time address (`load_ext_name
;;   %wasmlink_stack_limit+0` then one load), after the prologue: `cmpq
;;   (%rax), %rcx; jb #trap=stk_ovf` with %rcx the stack pointer — not
;;   through the vmctx parameter (`movq (%rdi)`), and with no frame size
;;   added.
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
;; function stack-checks::frameless_leaf: 12 bytes
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
;; function stack-checks::leaf_with_frame: 162 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
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
;; function stack-checks::non_leaf: 40 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     load_ext_name %wasmlink_stack_limit+0, %r8
;;     movq    %rsp, %r9
;;     cmpq (%r8), %r9
;;     jb #trap=stk_ovf
;;     movl $0x1, %edx
;;     call    User(%stack-checks::frameless_leaf)
;;     jmp     label1
;;   block1:
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
