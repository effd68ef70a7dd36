;;! format = "asm"
;;! wpo = "fixed-state"
;;
;; Pins: with `fixed-state` the entry's memory is at the fixed address
;; 0x60000000, and a loop's address induction variable whose widenings
;; only form addresses in it carries the native address itself
;; (`translate/induction.rs`, `pointer`): the loop reads `(%p)` and
;; `4(%p)` — no base register, no 0x60000000 displacement — and steps
;; with `leaq 8(%p)`; the pointer is made once before the loop
;; (`leaq 0x60000000(...)`). The second pointer steps like the first, so
;; it is carried as the first plus a loop-invariant difference
;; (`induction/merge.rs`): `imull (%p, %d)`, `imull 4(%p, %d)` (added
;; into `(%p)` and `4(%p)`, memory-update-in-place.wat), and one
;; `leaq 8` per iteration instead of two. The same loop as
;; memory-induction.wat's `pairs`, where the pointers stay separate (a
;; base register plus a difference would not fit one address).
(module
  (memory 1)
  (func (export "pairs") (param $c i32) (param $b i32) (param $a i32) (param $n i32)
    (loop $l
      (i32.store (local.get $c)
        (i32.add (i32.load (local.get $c)) (i32.mul (local.get $a) (i32.load (local.get $b)))))
      (i32.store (i32.add (local.get $c) (i32.const 4))
        (i32.add (i32.load (i32.add (local.get $c) (i32.const 4)))
          (i32.mul (local.get $a) (i32.load (i32.add (local.get $b) (i32.const 4))))))
      (local.set $c (i32.add (local.get $c) (i32.const 8)))
      (local.set $b (i32.add (local.get $b) (i32.const 8)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 2)))))))

;; ---- expected: BLESS=1 cargo test -p wasmlink-codegen --test disas rewrites everything below ----
;; function memory-induction-pointer::pairs: 66 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     movq %rdx, %rax
;;     movl %esi, %edx
;;     leaq 0x60000000(%rdx), %rdi
;;     movl %eax, %eax
;;     subq %rdx, %rax
;;     jmp     label1
;;   block1:
;;     movq %rcx, %rdx
;;     imull (%rdi, %rax), %edx
;;     addl %edx, (%rdi)
;;     movq %rcx, %rdx
;;     imull 4(%rdi, %rax), %edx
;;     addl %edx, 4(%rdi)
;;     subl $0x2, %r8d
;;     leaq 8(%rdi), %rdi
;;     testl %r8d, %r8d
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
