;;! format = "asm"
;;! wpo = "devirtualize"
;;! functions = "jump-table::dispatch_"
;;
;; Pins range-checked devirtualisation (part of `devirtualize`): a
;; `call_indirect` with an index that is not a constant, through a table
;; nothing writes, dispatches to direct calls of the entries of its type.
;; - `dispatch_small` ($small, 4 entries: $add, $sub, $add again, a null):
;;   `cmpl $4` then `#trap=…undefined_element` for the range check, a jump
;;   table (`jmp_table_seq`), one block per distinct callee (two: index 0
;;   and 2 share $add's), and the checked call for the null entry (which
;;   traps there, as the spec says);
;; - `dispatch_long` ($long, 100 entries, only 2 of type $binop): a compare
;;   chain (`cmpl $0x41`, `cmpl $0x63`) then the checked call;
;; - `dispatch_tail` (`return_call_indirect`): the same jump table, each
;;   arm a tail call (`return_call_known`);
;; - `dispatch_full` ($full: every entry of the type): the range check
;;   and the jump table, no checked call at all;
;; - `dispatch_masked` (index `i & 3` into the 4-entry $small): the mask
;;   proves the index in range, so no range check comes before the jump
;;   table (the `undefined_element` check left is the checked call's own,
;;   reached for the null entry only);
;; - `dispatch_many` ($many, 10 distinct callees of the type): more than
;;   MAX_TARGETS, the checked indirect call stays
;;   (`…indirect_call_type_mismatch`).
(module
  (type $binop (func (param i32 i32) (result i32)))
  (type $nullary (func))
  (table $small 4 funcref)
  (table $long 100 funcref)
  (table $many 10 funcref)
  (table $full 3 funcref)
  (elem (table $small) (i32.const 0) func $add $sub $add)
  (elem (table $long) (i32.const 65) func $add)
  (elem (table $long) (i32.const 99) func $sub)
  (elem (table $long) (i32.const 0) func $nop $nop $nop)
  (elem (table $many) (i32.const 0) func $m0 $m1 $m2 $m3 $m4 $m5 $m6 $m7 $m8 $m9)
  (elem (table $full) (i32.const 0) func $sub $add $sub)
  (func $add (type $binop) (i32.add (local.get 0) (local.get 1)))
  (func $sub (type $binop) (i32.sub (local.get 0) (local.get 1)))
  (func $nop (type $nullary))
  (func $m0 (type $binop) (i32.const 0))
  (func $m1 (type $binop) (i32.const 1))
  (func $m2 (type $binop) (i32.const 2))
  (func $m3 (type $binop) (i32.const 3))
  (func $m4 (type $binop) (i32.const 4))
  (func $m5 (type $binop) (i32.const 5))
  (func $m6 (type $binop) (i32.const 6))
  (func $m7 (type $binop) (i32.const 7))
  (func $m8 (type $binop) (i32.const 8))
  (func $m9 (type $binop) (i32.const 9))
  (func (export "dispatch_small") (param i32 i32 i32) (result i32)
    (call_indirect $small (type $binop) (local.get 0) (local.get 1) (local.get 2)))
  (func (export "dispatch_long") (param i32 i32 i32) (result i32)
    (call_indirect $long (type $binop) (local.get 0) (local.get 1) (local.get 2)))
  (func (export "dispatch_tail") (param i32 i32 i32) (result i32)
    (return_call_indirect $small (type $binop) (local.get 0) (local.get 1) (local.get 2)))
  (func (export "dispatch_full") (param i32 i32 i32) (result i32)
    (call_indirect $full (type $binop) (local.get 0) (local.get 1) (local.get 2)))
  (func (export "dispatch_masked") (param i32 i32 i32) (result i32)
    (call_indirect $small (type $binop) (local.get 0) (local.get 1)
      (i32.and (local.get 2) (i32.const 3))))
  (func (export "dispatch_many") (param i32 i32 i32) (result i32)
    (call_indirect $many (type $binop) (local.get 0) (local.get 1) (local.get 2))))

;; ---- expected: BLESS=1 cargo test -p wasmlink-codegen --test disas rewrites everything below ----
;; function jump-table::dispatch_small: 190 bytes
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
;;     cmpl $0x4, %ecx
;;     jnb #trap=user8_undefined_element
;;     movl $0x4, %eax
;;     movl %ecx, %r8d
;;     cmpl %eax, %r8d
;;     cmovbl %r8d, %eax
;;     br_table %rax, %r8, %rax
;;   block1:
;;     jmp     label7
;;   block2:
;;     jmp     label6
;;   block3:
;;     jmp     label6
;;   block4:
;;     jmp     label7
;;   block5:
;;     load_ext_name %__wl_i0_vmctx+0, %rdi
;;     call    User(%jump-table::sub)
;;     jmp     label8
;;   block6:
;;     load_ext_name %__wl_i0_vmctx+0, %rdi
;;     call    User(%jump-table::add)
;;     jmp     label8
;;   block7:
;;     movl %ecx, %eax
;;     cmpq 0x10(%rdi), %rax
;;     jnb #trap=user8_undefined_element
;;     movq 8(%rdi), %rcx
;;     movq (%rcx, %rax, 8), %rax
;;     testq %rax, %rax
;;     jz #trap=user9_uninitialized_element
;;     movq 0x10(%rax), %rcx
;;     cmpq $0x1, %rcx
;;     jnz #trap=user10_indirect_call_type_mismatch
;;     movq (%rax), %rcx
;;     movq 8(%rax), %rdi
;;     call    *%rcx
;;     jmp     label8
;;   block8:
;;     jmp     label9
;;   block9:
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
;;
;; function jump-table::dispatch_long: 140 bytes
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
;;     cmpl $0x41, %ecx
;;     jz      label5; j label1
;;   block1:
;;     cmpl $0x63, %ecx
;;     jz      label4; j label2
;;   block2:
;;     jmp     label3
;;   block3:
;;     movl %ecx, %eax
;;     cmpq 0x30(%rdi), %rax
;;     jnb #trap=user8_undefined_element
;;     movq 0x28(%rdi), %rcx
;;     movq (%rcx, %rax, 8), %rax
;;     testq %rax, %rax
;;     jz #trap=user9_uninitialized_element
;;     movq 0x10(%rax), %rcx
;;     cmpq $0x1, %rcx
;;     jnz #trap=user10_indirect_call_type_mismatch
;;     movq (%rax), %rcx
;;     movq 8(%rax), %rdi
;;     call    *%rcx
;;     jmp     label6
;;   block4:
;;     load_ext_name %__wl_i0_vmctx+0, %rdi
;;     call    User(%jump-table::sub)
;;     jmp     label6
;;   block5:
;;     load_ext_name %__wl_i0_vmctx+0, %rdi
;;     call    User(%jump-table::add)
;;     jmp     label6
;;   block6:
;;     jmp     label7
;;   block7:
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
;;
;; function jump-table::dispatch_tail: 188 bytes
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
;;     cmpl $0x4, %ecx
;;     jnb #trap=user8_undefined_element
;;     movl $0x4, %eax
;;     movl %ecx, %r8d
;;     cmpl %eax, %r8d
;;     cmovbl %r8d, %eax
;;     br_table %rax, %r8, %rax
;;   block1:
;;     jmp     label7
;;   block2:
;;     jmp     label6
;;   block3:
;;     jmp     label6
;;   block4:
;;     jmp     label7
;;   block5:
;;     load_ext_name %__wl_i0_vmctx+0, %rdi
;;     return_call_known User(%jump-table::sub) (0) tmp=%r11 %rdi=%rdi %rsi=%rsi %rdx=%rdx
;;   block6:
;;     load_ext_name %__wl_i0_vmctx+0, %rdi
;;     return_call_known User(%jump-table::add) (0) tmp=%r11 %rdi=%rdi %rsi=%rsi %rdx=%rdx
;;   block7:
;;     movl %ecx, %eax
;;     cmpq 0x10(%rdi), %rax
;;     jnb #trap=user8_undefined_element
;;     movq 8(%rdi), %rcx
;;     movq (%rcx, %rax, 8), %rax
;;     testq %rax, %rax
;;     jz #trap=user9_uninitialized_element
;;     movq 0x10(%rax), %rcx
;;     cmpq $0x1, %rcx
;;     jnz #trap=user10_indirect_call_type_mismatch
;;     movq (%rax), %r10
;;     movq 8(%rax), %rdi
;;     return_call_unknown %r10 (0) tmp=%r11 %rdi=%rdi %rsi=%rsi %rdx=%rdx
;;
;; function jump-table::dispatch_full: 119 bytes
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
;;     cmpl $0x3, %ecx
;;     jnb #trap=user8_undefined_element
;;     movl $0x3, %eax
;;     movl %ecx, %ecx
;;     cmpl %eax, %ecx
;;     cmovbl %ecx, %eax
;;     br_table %rax, %rcx, %rax
;;   block1:
;;     jmp     label5
;;   block2:
;;     jmp     label5
;;   block3:
;;     jmp     label5
;;   block4:
;;     load_ext_name %__wl_i0_vmctx+0, %rdi
;;     call    User(%jump-table::add)
;;     jmp     label6
;;   block5:
;;     load_ext_name %__wl_i0_vmctx+0, %rdi
;;     call    User(%jump-table::sub)
;;     jmp     label6
;;   block6:
;;     jmp     label7
;;   block7:
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
;;
;; function jump-table::dispatch_masked: 184 bytes
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
;;     movq %rcx, %rax
;;     andl $0x3, %eax
;;     movl $0x4, %r8d
;;     cmpl %r8d, %eax
;;     cmovbl %eax, %r8d
;;     br_table %r8, %r9, %rax
;;   block1:
;;     jmp     label7
;;   block2:
;;     jmp     label6
;;   block3:
;;     jmp     label6
;;   block4:
;;     jmp     label7
;;   block5:
;;     load_ext_name %__wl_i0_vmctx+0, %rdi
;;     call    User(%jump-table::sub)
;;     jmp     label8
;;   block6:
;;     load_ext_name %__wl_i0_vmctx+0, %rdi
;;     call    User(%jump-table::add)
;;     jmp     label8
;;   block7:
;;     andl $0x3, %ecx
;;     cmpq 0x10(%rdi), %rcx
;;     jnb #trap=user8_undefined_element
;;     movq 8(%rdi), %rax
;;     movq (%rax, %rcx, 8), %rax
;;     testq %rax, %rax
;;     jz #trap=user9_uninitialized_element
;;     movq 0x10(%rax), %rcx
;;     cmpq $0x1, %rcx
;;     jnz #trap=user10_indirect_call_type_mismatch
;;     movq (%rax), %rcx
;;     movq 8(%rax), %rdi
;;     call    *%rcx
;;     jmp     label8
;;   block8:
;;     jmp     label9
;;   block9:
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
;;
;; function jump-table::dispatch_many: 89 bytes
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
;;     movl %ecx, %r11d
;;     cmpq 0x50(%rdi), %r11
;;     jnb #trap=user8_undefined_element
;;     movq 0x48(%rdi), %rax
;;     movq (%rax, %r11, 8), %rax
;;     testq %rax, %rax
;;     jz #trap=user9_uninitialized_element
;;     movq 0x10(%rax), %rcx
;;     cmpq $0x1, %rcx
;;     jnz #trap=user10_indirect_call_type_mismatch
;;     movq (%rax), %rcx
;;     movq 8(%rax), %rdi
;;     call    *%rcx
;;     jmp     label1
;;   block1:
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
