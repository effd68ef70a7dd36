;;! format = "asm"
;;! wpo = "inline,fixed-state,devirtualize,stack-checks"
;;! functions = "loop-continue-latch::count"
;;
;; Pins: a loop's `continue` edge gets its own copy of the latch, laid
;; out right after the header (compile/continue_edge.rs). `count` is the
;; sieve's outer loop: a number whose byte is set skips to the latch,
;; which steps `$i` and the pointer, leaves at `$n` and jumps back. block1
;; is the header (`movzbq`, then `jz` into the body, block5); block2 and
;; block3 are the latch's copy, so a skipped number runs the header, the
;; copy's exit test and its step, and takes one branch (`jmp label1`)
;; where it took two (header to latch, latch to header). The copy leaves
;; the loop through a block of its own (block4), after the loop's path,
;; and the exit block gets a parameter for `$c`, which the latch and its
;; copy both pass. The body (block5) and the original latch (block6 to
;; block8) come after.
(module
  (memory 1)
  (func (export "count") (param $p i32) (param $n i32) (result i32)
    (local $i i32) (local $c i32)
    (block $done
      (loop $l
        (block $skip
          (br_if $skip (i32.load8_u (i32.add (local.get $p) (local.get $i))))
          (local.set $c (i32.add (local.get $c) (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $done (i32.eq (local.get $i) (local.get $n)))
        (br $l)))
    (local.get $c)))

;; ---- expected: BLESS=1 cargo test -p wasmlink-codegen --test disas rewrites everything below ----
;; function loop-continue-latch::count: 92 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     movq %rsi, %rax
;;     uninit  %rsi
;;     xorl %esi, %esi
;;     movl %eax, %eax
;;     leaq 0x40000000(%rax), %r8
;;     movq %rsi, %rax
;;     jmp     label1
;;   block1:
;;     movzbq (%r8), %rcx
;;     testl %ecx, %ecx
;;     jz      label5; j label2
;;   block2:
;;     leal 1(%rsi), %esi
;;     cmpl %edx, %esi
;;     jz      label4; j label3
;;   block3:
;;     leaq 1(%r8), %r8
;;     jmp     label1
;;   block4:
;;     jmp     label9
;;   block5:
;;     leal (%rax, %rsi), %eax
;;     jmp     label6
;;   block6:
;;     leal 1(%rsi), %esi
;;     cmpl %edx, %esi
;;     jz      label7; j label8
;;   block7:
;;     jmp     label9
;;   block8:
;;     leaq 1(%r8), %r8
;;     jmp     label1
;;   block9:
;;     jmp     label10
;;   block10:
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
