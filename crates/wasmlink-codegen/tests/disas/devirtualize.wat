;;! format = "asm"
;;! wpo = "devirtualize"
;;! functions = "devirtualize::call_"
;;
;; Pins the `devirtualize` optimisation. Table $fixed is filled by an
;; active segment and nothing writes it afterwards, so its contents are
;; known at build time:
;; - `call_constant` (`i32.const 1; call_indirect`) is a direct call of $g
;;   (`call User(%devirtualize::g)`): no bounds, null or signature check;
;; - `call_dynamic` (index from a parameter) checks the index against the
;;   table's length (`#trap=…undefined_element`) and jumps through a table
;;   to a direct call of $f or $g (no null or signature check; the shapes
;;   are pinned by `jump-table.wat`);
;; - `call_written` calls through $written, which `table.set` writes: the
;;   checked indirect call stays although its index is a constant;
;; - `call_wrong_type` names an entry of another type: it stays checked
;;   (and traps at run time).
(module
  (type $t (func (result i32)))
  (type $u (func (param i32) (result i32)))
  (table $fixed 2 funcref)
  (table $written 2 funcref)
  (elem (table $fixed) (i32.const 0) func $f $g)
  (elem (table $written) (i32.const 0) func $f $g)
  (func $f (type $t) (i32.const 10))
  (func $g (type $t) (i32.const 20))
  (func (export "call_constant") (result i32)
    (call_indirect $fixed (type $t) (i32.const 1)))
  (func (export "call_dynamic") (param i32) (result i32)
    (call_indirect $fixed (type $t) (local.get 0)))
  (func (export "call_written") (result i32)
    (call_indirect $written (type $t) (i32.const 1)))
  (func (export "call_wrong_type") (result i32)
    (call_indirect $fixed (type $u) (i32.const 5) (i32.const 1)))
  (func (export "overwrite")
    (table.set $written (i32.const 1) (ref.func $f))))

;; ---- expected: BLESS=1 cargo test -p wasmlink-codegen --test disas rewrites everything below ----
;; function devirtualize::call_constant: 42 bytes
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
;;     load_ext_name %__wl_i0_vmctx+0, %rdi
;;     call    User(%devirtualize::g)
;;     jmp     label1
;;   block1:
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
;;
;; function devirtualize::call_dynamic: 115 bytes
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
;;     cmpl $0x2, %esi
;;     jnb #trap=user8_undefined_element
;;     movl $0x2, %eax
;;     movl %esi, %ecx
;;     cmpl %eax, %ecx
;;     cmovbl %ecx, %eax
;;     br_table %rax, %rcx, %rax
;;   block1:
;;     jmp     label4
;;   block2:
;;     jmp     label4
;;   block3:
;;     load_ext_name %__wl_i0_vmctx+0, %rdi
;;     call    User(%devirtualize::g)
;;     jmp     label5
;;   block4:
;;     load_ext_name %__wl_i0_vmctx+0, %rdi
;;     call    User(%devirtualize::f)
;;     jmp     label5
;;   block5:
;;     jmp     label6
;;   block6:
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
;;
;; function devirtualize::call_written: 90 bytes
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
;;     movq 0x30(%rdi), %r8
;;     cmpq $0x1, %r8
;;     jbe #trap=user8_undefined_element
;;     movq 0x28(%rdi), %r10
;;     movq 8(%r10), %r10
;;     testq %r10, %r10
;;     jz #trap=user9_uninitialized_element
;;     movq 0x10(%r10), %rax
;;     cmpq $0x1, %rax
;;     jnz #trap=user10_indirect_call_type_mismatch
;;     movq (%r10), %rax
;;     movq 8(%r10), %rdi
;;     call    *%rax
;;     jmp     label1
;;   block1:
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
;;
;; function devirtualize::call_wrong_type: 95 bytes
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
;;     movq 0x10(%rdi), %r9
;;     cmpq $0x1, %r9
;;     jbe #trap=user8_undefined_element
;;     movq 8(%rdi), %r11
;;     movq 8(%r11), %r11
;;     testq %r11, %r11
;;     jz #trap=user9_uninitialized_element
;;     movq 0x10(%r11), %rax
;;     cmpq $0x2, %rax
;;     jnz #trap=user10_indirect_call_type_mismatch
;;     movq (%r11), %rax
;;     movq 8(%r11), %rdi
;;     movl $0x5, %esi
;;     call    *%rax
;;     jmp     label1
;;   block1:
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
