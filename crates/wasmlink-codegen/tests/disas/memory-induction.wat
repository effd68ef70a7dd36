;;! format = "asm"
;;! wpo = "none"
;;
;; Pins: a loop's 32-bit address induction variable lives in a 64-bit
;; register once an access at it proves its step cannot wrap
;; (`translate/induction.rs`).
;; - `pairs` (c[j] += a * b[j], unrolled twice, as clang emits it for
;;   wasm32): the pointers step with `leaq 8(...)` in 64 bits, the
;;   accesses read `(%base, %p)` and `4(%base, %p)` (also the loads sunk
;;   into `imull` and the updates `addl`ed into memory, see
;;   memory-update-in-place.wat) with no `movl %r32, %r32` zero-extension and no `lea`
;;   of `p + 4` before them; the 32-bit pointers are gone (only the
;;   counter steps, with `subl`).
;; - `until_end`: the pointer also ends the loop; the compare reads the
;;   low half of the 64-bit pointer (`leal 8(%p)`, then `cmpl`), so one
;;   register carries the pointer for the loads and the exit test.
;; - `fields_before` (fields at negative offsets, as clang addresses a
;;   struct's earlier fields from a pointer past them): the access at
;;   `p - 16` proves `p >= 16` but only for what follows it, so that first
;;   access computes `leal -0x10(%p)` while the later `p - 8` is
;;   `-8(%base, %p)`.
;; - `conditional` (the access is under an `if`, so it does not prove the
;;   step safe) and `big_step` (a step over one page) keep the 32-bit
;;   pointer and widen it at the access (`movl %r32, %r32`).
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
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 2))))))
  (func (export "until_end") (param $p i32) (param $end i32) (result i32)
    (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s)
        (i32.add (i32.load (local.get $p)) (i32.load (i32.add (local.get $p) (i32.const 4))))))
      (local.set $p (i32.add (local.get $p) (i32.const 8)))
      (br_if $l (i32.ne (local.get $p) (local.get $end))))
    (local.get $s))
  (func (export "fields_before") (param $p i32) (param $n i32) (result i32)
    (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s) (i32.load (local.get $p))))
      (local.set $s (i32.add (local.get $s) (i32.load (i32.add (local.get $p) (i32.const -16)))))
      (local.set $s (i32.add (local.get $s) (i32.load (i32.add (local.get $p) (i32.const -8)))))
      (local.set $p (i32.add (local.get $p) (i32.const 24)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $s))
  (func (export "conditional") (param $p i32) (param $n i32) (result i32)
    (local $s i32)
    (loop $l
      (if (local.get $n)
        (then (local.set $s (i32.add (local.get $s) (i32.load (local.get $p))))))
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $s))
  (func (export "big_step") (param $p i32) (param $n i32) (result i32)
    (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s) (i32.load (local.get $p))))
      (local.set $p (i32.add (local.get $p) (i32.const 0x20000)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $s)))

;; ---- expected: BLESS=1 cargo test -p wasmlink-codegen --test disas rewrites everything below ----
;; function memory-induction::pairs: 72 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     movl %esi, %r10d
;;     movl %edx, %r9d
;;     movq 8(%rdi), %rax
;;     jmp     label1
;;   block1:
;;     movq %rcx, %rdx
;;     imull (%rax, %r9), %edx
;;     addl %edx, (%rax, %r10)
;;     movq %rcx, %rdx
;;     imull 4(%rax, %r9), %edx
;;     addl %edx, 4(%rax, %r10)
;;     subl $0x2, %r8d
;;     leaq 8(%r10), %r10
;;     leaq 8(%r9), %r9
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
;;
;; function memory-induction::until_end: 53 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     movq %rdi, %rcx
;;     uninit  %rax
;;     xorl %eax, %eax
;;     movl %esi, %edi
;;     movq 8(%rcx), %rcx
;;     jmp     label1
;;   block1:
;;     movl (%rcx, %rdi), %r8d
;;     movl 4(%rcx, %rdi), %r9d
;;     leal 8(%rdi), %esi
;;     leal (%r8, %r9), %r8d
;;     leal (%rax, %r8), %eax
;;     leaq 8(%rdi), %rdi
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
;;
;; function memory-induction::fields_before: 59 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     uninit  %rax
;;     xorl %eax, %eax
;;     movl %esi, %r8d
;;     movq 8(%rdi), %rcx
;;     jmp     label1
;;   block1:
;;     movl (%rcx, %r8), %esi
;;     leal -0x10(%r8), %edi
;;     movl (%rcx, %rdi), %edi
;;     movl -8(%rcx, %r8), %r9d
;;     subl $0x1, %edx
;;     leal (%rax, %rsi), %eax
;;     leal (%r9, %rax), %eax
;;     leal (%rax, %rdi), %eax
;;     leaq 0x18(%r8), %r8
;;     testl %edx, %edx
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
;; function memory-induction::conditional: 45 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     uninit  %rax
;;     xorl %eax, %eax
;;     movq 8(%rdi), %rcx
;;     jmp     label1
;;   block1:
;;     testl %edx, %edx
;;     jnz     label3; j label2
;;   block2:
;;     jmp     label4
;;   block3:
;;     movl %esi, %edi
;;     addl (%rcx, %rdi), %eax
;;     jmp     label4
;;   block4:
;;     subl $0x1, %edx
;;     leal 4(%rsi), %esi
;;     testl %edx, %edx
;;     jnz     label5; j label6
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
;; function memory-induction::big_step: 39 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     uninit  %rax
;;     xorl %eax, %eax
;;     movq 8(%rdi), %rcx
;;     jmp     label1
;;   block1:
;;     movl %esi, %edi
;;     movl (%rcx, %rdi), %edi
;;     subl $0x1, %edx
;;     leal (%rax, %rdi), %eax
;;     leal 0x20000(%rsi), %esi
;;     testl %edx, %edx
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
