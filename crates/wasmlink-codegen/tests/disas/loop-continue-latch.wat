;;! format = "asm"
;;! wpo = "inline,fixed-state,devirtualize,stack-checks"
;;! functions = "loop-continue-latch::"
;;
;; Pins: a loop's `continue` edge gets its own copy of the latch, laid
;; out right after the header (compile/continue_edge.rs). `count` is the
;; sieve's outer loop: a number whose byte is set skips to the latch,
;; which steps the pointer (`$i` is its twin, computed on the body's path,
;; and the exit test compares the pointer's low half: see
;; loop-twin-inductions), leaves at `$n` and jumps back; the body marks
;; the number's multiples in a loop of its own. block1 is the
;; header (`movzbq`, then `jz` into the body, block5); block2 and block3
;; are the latch's copy, so a skipped number runs the header, the copy's
;; exit test and its step, and takes one branch (`jmp label1`) where it
;; took two (header to latch, latch to header). The copy leaves the loop
;; through a block of its own (block4), after the loop's path, and the
;; exit block gets a parameter for `$c`, which the latch and its copy
;; both pass. The body and the original latch come after. `count_light`
;; is the same loop without the marking: a body that neither calls nor
;; loops is as short as the skip, so which way runs more often is a
;; guess, and its layout stays (block2 is the empty edge to the latch).
(module
  (memory 1)
  (func (export "count") (param $p i32) (param $n i32) (result i32)
    (local $i i32) (local $c i32) (local $j i32)
    (block $done
      (loop $l
        (block $skip
          (br_if $skip (i32.load8_u (i32.add (local.get $p) (local.get $i))))
          (local.set $c (i32.add (local.get $c) (local.get $i)))
          (local.set $j (i32.add (local.get $i) (local.get $i)))
          (block $marked
            (br_if $marked (i32.ge_u (local.get $j) (local.get $n)))
            (loop $m
              (i32.store8 (i32.add (local.get $p) (local.get $j)) (i32.const 1))
              (br_if $m (i32.lt_u
                (local.tee $j (i32.add (local.get $j) (local.get $i)))
                (local.get $n))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $done (i32.eq (local.get $i) (local.get $n)))
        (br $l)))
    (local.get $c))
  (func (export "count_light") (param $p i32) (param $n i32) (result i32)
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
;; function loop-continue-latch::count: 134 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     uninit  %rax
;;     xorl %eax, %eax
;;     movl %esi, %ecx
;;     leaq 0x60000000(%rcx), %rdi
;;     movq %rax, %rcx
;;     subl %edi, %ecx
;;     movq %rdx, %r8
;;     subl $0x1, %r8d
;;     subl %ecx, %r8d
;;     jmp     label1
;;   block1:
;;     movzbq (%rdi), %r9
;;     testl %r9d, %r9d
;;     jz      label5; j label2
;;   block2:
;;     cmpl %r8d, %edi
;;     jz      label4; j label3
;;   block3:
;;     leaq 1(%rdi), %rdi
;;     jmp     label1
;;   block4:
;;     jmp     label16
;;   block5:
;;     leal (%rdi, %rcx), %r9d
;;     leal (%r9, %r9), %r10d
;;     cmpl %edx, %r10d
;;     jnb     label6; j label7
;;   block6:
;;     jmp     label12
;;   block7:
;;     jmp     label8
;;   block8:
;;     leal (%rsi, %r10), %r11d
;;     movb $0x1, 0x60000000(%r11)
;;     leal (%r10, %r9), %r10d
;;     cmpl %edx, %r10d
;;     jb      label9; j label10
;;   block9:
;;     jmp     label8
;;   block10:
;;     jmp     label11
;;   block11:
;;     jmp     label12
;;   block12:
;;     leal (%rax, %r9), %eax
;;     jmp     label13
;;   block13:
;;     cmpl %r8d, %edi
;;     jz      label14; j label15
;;   block14:
;;     jmp     label16
;;   block15:
;;     leaq 1(%rdi), %rdi
;;     jmp     label1
;;   block16:
;;     jmp     label17
;;   block17:
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
;;
;; function loop-continue-latch::count_light: 67 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     uninit  %rax
;;     xorl %eax, %eax
;;     movl %esi, %ecx
;;     leaq 0x60000000(%rcx), %rdi
;;     movq %rax, %rcx
;;     subl %edi, %ecx
;;     subl $0x1, %edx
;;     subl %ecx, %edx
;;     jmp     label1
;;   block1:
;;     movzbq (%rdi), %rsi
;;     testl %esi, %esi
;;     jnz     label2; j label3
;;   block2:
;;     jmp     label4
;;   block3:
;;     leal (%rdi, %rcx), %esi
;;     leal (%rax, %rsi), %eax
;;     jmp     label4
;;   block4:
;;     cmpl %edx, %edi
;;     jz      label6; j label5
;;   block5:
;;     leaq 1(%rdi), %rdi
;;     jmp     label1
;;   block6:
;;     jmp     label7
;;   block7:
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
