;;! format = "asm"
;;! wpo = "inline,fixed-state,devirtualize,stack-checks"
;;
;; Pins: a loop whose counter only feeds its exit test tests the widened
;; pointer instead (`translate/induction/exit_test.rs`).
;; - `sum` (`j += 1; if (j != n)` beside `p += 4`): the loop is a load,
;;   an add, `leaq 4(%p)` and `cmpq %end, %p`; the end
;;   `0x60000000 + p0 + 4 * n` is made once before it (`leaq
;;   0x60000000(%p0, %n, 4)`), and no counter is carried;
;; - `pairs` (the counter steps 2 from `j0`, the pointer 8, and the
;;   counter's last value is read after the loop): the end is `p0 + 4 *
;;   (n - j0)` (`subl`, then `leaq 0x60000000(%p0, %d, 4)`), and after
;;   the loop the counter's value is `n` itself (`leal (%rax, %rcx)`,
;;   `%rcx` holding `n`; no counter in the loop);
;; - `fill` stores the counter: it stays, and so does its test (`cmpl`).
(module
  (memory 1)
  (func (export "sum") (param $p i32) (param $n i32) (result i32)
    (local $j i32) (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s) (i32.load (local.get $p))))
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (br_if $l (i32.ne (local.tee $j (i32.add (local.get $j) (i32.const 1))) (local.get $n))))
    (local.get $s))
  (func (export "pairs") (param $p i32) (param $j0 i32) (param $n i32) (result i32)
    (local $j i32) (local $s i32)
    (local.set $j (local.get $j0))
    (loop $l
      (local.set $s (i32.add (local.get $s)
        (i32.add (i32.load (local.get $p)) (i32.load offset=4 (local.get $p)))))
      (local.set $p (i32.add (local.get $p) (i32.const 8)))
      (br_if $l (i32.ne (local.tee $j (i32.add (local.get $j) (i32.const 2))) (local.get $n))))
    (i32.add (i32.mul (local.get $s) (i32.const 1000)) (local.get $j)))
  (func (export "fill") (param $p i32) (param $n i32)
    (local $j i32)
    (loop $l
      (i32.store (local.get $p) (local.get $j))
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (br_if $l (i32.ne (local.tee $j (i32.add (local.get $j) (i32.const 1))) (local.get $n))))))

;; ---- expected: BLESS=1 cargo test -p wasmlink-codegen --test disas rewrites everything below ----
;; function memory-induction-exit-test::sum: 50 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     uninit  %rax
;;     xorl %eax, %eax
;;     movl %esi, %ecx
;;     leaq 0x60000000(%rcx), %rdi
;;     movl %edx, %edx
;;     leaq 0x60000000(%rcx, %rdx, 4), %rcx
;;     jmp     label1
;;   block1:
;;     movl (%rdi), %edx
;;     leaq 4(%rdi), %rdi
;;     leal (%rax, %rdx), %eax
;;     cmpq %rcx, %rdi
;;     jnz     label2; j label3
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
;; function memory-induction-exit-test::pairs: 68 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     uninit  %rdi
;;     xorl %edi, %edi
;;     movl %esi, %eax
;;     leaq 0x60000000(%rax), %r8
;;     movq %rcx, %rsi
;;     subl %edx, %esi
;;     leaq 0x60000000(%rax, %rsi, 4), %rax
;;     jmp     label1
;;   block1:
;;     movl (%r8), %edx
;;     movl 4(%r8), %esi
;;     leaq 8(%r8), %r8
;;     leal (%rdx, %rsi), %edx
;;     leal (%rdi, %rdx), %edi
;;     cmpq %rax, %r8
;;     jnz     label2; j label3
;;   block2:
;;     jmp     label1
;;   block3:
;;     jmp     label4
;;   block4:
;;     jmp     label5
;;   block5:
;;     imull $0x3e8, %edi, %eax
;;     leal (%rax, %rcx), %eax
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
;;
;; function memory-induction-exit-test::fill: 47 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     movq %rsi, %rax
;;     uninit  %rsi
;;     xorl %esi, %esi
;;     movl %eax, %r10d
;;     leaq 0x60000000(%r10), %rdi
;;     jmp     label1
;;   block1:
;;     movl %esi, (%rdi)
;;     leal 1(%rsi), %esi
;;     leaq 4(%rdi), %rdi
;;     cmpl %edx, %esi
;;     jnz     label2; j label3
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
