;;! format = "asm"
;;! wpo = "inline,fixed-state,devirtualize,stack-checks"
;;
;; Pins: `w + i` for an index that steps by a constant up to a limit only
;; known at run time becomes a pointer when an access at `w + i` runs on
;; every iteration (`translate/induction/derived.rs`): that access proves
;; the pointer's steps cannot wrap, so no allowance is needed.
;; - `count_zeros`, the sieve's outer loop (`composite[i]`, `i < n`) with
;;   clang's 64-bit `long` counter, narrowed by `ireduce`: the loop reads
;;   `movzbq (%q)` and steps `leaq 1(%q)`; no 32-bit `leal` of `w + i`.
;; - `sum_words`, a 32-bit counter stepping by 4 to a run-time limit: the
;;   load reads `(%q)`, stepped by `leaq 4(%q)`.
;; - `conditional_access`, the access only on some iterations: it does
;;   not dominate the back edge, so `w + i` keeps its 32-bit `leal`.
(module
  (memory 1)
  (func (export "count_zeros") (param $w i32) (param $n i64) (result i64)
    (local $i i64) (local $c i64)
    (loop $l
      (if (i32.eqz (i32.load8_u (i32.add (local.get $w) (i32.wrap_i64 (local.get $i)))))
        (then (local.set $c (i64.add (local.get $c) (local.get $i)))))
      (br_if $l (i64.lt_s (local.tee $i (i64.add (local.get $i) (i64.const 1))) (local.get $n))))
    (local.get $c))
  (func (export "sum_words") (param $w i32) (param $n i32) (result i32)
    (local $i i32) (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s) (i32.load (i32.add (local.get $w) (local.get $i)))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 4))) (local.get $n))))
    (local.get $s))
  (func (export "conditional_access") (param $w i32) (param $n i32) (result i32)
    (local $i i32) (local $s i32)
    (loop $l
      (if (i32.and (local.get $i) (i32.const 8))
        (then (local.set $s (i32.add (local.get $s) (i32.load (i32.add (local.get $w) (local.get $i)))))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 4))) (local.get $n))))
    (local.get $s)))

;; ---- expected: BLESS=1 cargo test -p wasmlink-codegen --test disas rewrites everything below ----
;; function memory-induction-derived-stepped::count_zeros: 62 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     uninit  %rdi
;;     xorq %rdi, %rdi
;;     movl %esi, %eax
;;     leaq 0x60000000(%rax), %r8
;;     movq %rdi, %rax
;;     jmp     label1
;;   block1:
;;     movzbq (%r8), %rcx
;;     testl %ecx, %ecx
;;     jz      label3; j label2
;;   block2:
;;     jmp     label4
;;   block3:
;;     leaq (%rax, %rdi), %rax
;;     jmp     label4
;;   block4:
;;     leaq 1(%rdi), %rdi
;;     leaq 1(%r8), %r8
;;     cmpq %rdx, %rdi
;;     jl      label5; j label6
;;   block5:
;;     jmp     label1
;;   block6:
;;     jmp     label7
;;   block7:
;;     jmp     label8
;;   block8:
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
;;
;; function memory-induction-derived-stepped::sum_words: 51 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     uninit  %rax
;;     xorl %eax, %eax
;;     movl %esi, %ecx
;;     leaq 0x60000000(%rcx), %r8
;;     movq %rax, %r9
;;     jmp     label1
;;   block1:
;;     movl (%r8), %ecx
;;     leal 4(%r9), %r9d
;;     leal (%rax, %rcx), %eax
;;     leaq 4(%r8), %r8
;;     cmpl %edx, %r9d
;;     jb      label2; j label3
;;   block2:
;;     jmp     label1
;;   block3:
;;     jmp     label4
;;   block4:
;;     jmp     label5
;;   block5:
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
;;
;; function memory-induction-derived-stepped::conditional_access: 49 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     uninit  %rdi
;;     xorl %edi, %edi
;;     movq %rdi, %rax
;;     jmp     label1
;;   block1:
;;     testl $0x8, %edi
;;     jnz     label3; j label2
;;   block2:
;;     jmp     label4
;;   block3:
;;     leal (%rsi, %rdi), %ecx
;;     addl 0x60000000(%rcx), %eax
;;     jmp     label4
;;   block4:
;;     leal 4(%rdi), %edi
;;     cmpl %edx, %edi
;;     jb      label5; j label6
;;   block5:
;;     jmp     label1
;;   block6:
;;     jmp     label7
;;   block7:
;;     jmp     label8
;;   block8:
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
