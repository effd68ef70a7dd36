;;! format = "asm"
;;! wpo = "inline,fixed-state,devirtualize,stack-checks"
;;
;; Pins: `w + i + k` in a counted loop (`i` from 0 by 4 until 16), `w`
;; read before the loop, becomes a pointer (`translate/induction/
;; derived.rs`): the loop reads `4(%q)` and steps `leaq 4(%q)`, with no
;; 32-bit `leal` of the address and no index (its exit test moved to the
;; pointer, `cmpq`; its end, `leaq 0x4000000c(%w)`, is re-made inside the
;; loop by Cranelift's rematerialisation of constant adds). SHA-256's
;; message schedule has this shape.
;; - `no_access`: the same loop without the read of `w` first keeps its
;;   32-bit addresses (`leal 8(%w, %i)`): from `w = -8` they wrap to 0.
;; - `top_tested` (`while (i != 16)`, as SHA-256's rounds): the index is
;;   counted too, so `i + 8` is read as `8(%p)` from a pointer `p` that
;;   the test compares with `0x40000010` (16 past the memory's base), and
;;   `w + i` is a second pointer, `(%q)`, its load merged into the `addl`.
(module
  (memory 1)
  (func (export "after_access") (param $w i32) (result i32)
    (local $i i32) (local $s i32)
    (local.set $s (i32.load (local.get $w)))
    (loop $l
      (local.set $s (i32.add (local.get $s)
        (i32.load (i32.add (i32.add (local.get $w) (local.get $i)) (i32.const 4)))))
      (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 4))) (i32.const 16))))
    (local.get $s))
  (func (export "no_access") (param $w i32) (result i32)
    (local $i i32) (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s)
        (i32.load (i32.add (i32.add (local.get $w) (local.get $i)) (i32.const 8)))))
      (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 4))) (i32.const 8))))
    (local.get $s))
  (func (export "top_tested") (param $w i32) (result i32)
    (local $i i32) (local $s i32)
    (drop (i32.load (local.get $w)))
    (block $done
      (loop $l
        (local.set $s (i32.add (local.get $s) (i32.load (i32.add (local.get $i) (i32.const 8)))))
        (br_if $done (i32.eq (local.get $i) (i32.const 16)))
        (local.set $s (i32.add (local.get $s)
          (i32.load (i32.add (local.get $w) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $l)))
    (local.get $s)))

;; ---- expected: BLESS=1 cargo test -p wasmlink-codegen --test disas rewrites everything below ----
;; function memory-induction-derived::after_access: 61 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     movl %esi, %r10d
;;     leaq 0x60000000(%r10), %rsi
;;     movl 0x60000000(%r10), %eax
;;     jmp     label1
;;   block1:
;;     movl 4(%rsi), %r11d
;;     leaq 0x6000000c(%r10), %rcx
;;     leal (%rax, %r11), %eax
;;     leaq 4(%rsi), %r11
;;     cmpq %rcx, %rsi
;;     jnz     label2; j label3
;;   block2:
;;     movq %r11, %rsi
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
;; function memory-induction-derived::no_access: 50 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     uninit  %rax
;;     xorl %eax, %eax
;;     movq %rax, %rdi
;;     jmp     label1
;;   block1:
;;     leal 8(%rsi, %rdi), %r10d
;;     movl 0x60000000(%r10), %r10d
;;     leal (%rax, %r10), %eax
;;     leal 4(%rdi), %r10d
;;     cmpl $0x4, %edi
;;     jnz     label2; j label3
;;   block2:
;;     movq %r10, %rdi
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
;; function memory-induction-derived::top_tested: 75 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     movl %esi, %eax
;;     movl $0x60000000, %esi
;;     leaq 0x60000000(%rax), %rdi
;;     movl 0x60000000(%rax), %eax
;;     uninit  %r8
;;     xorl %r8d, %r8d
;;     jmp     label1
;;   block1:
;;     movl 8(%rsi), %eax
;;     cmpl $0x60000010, %esi
;;     jz      label3; j label2
;;   block2:
;;     leal (%r8, %rax), %r8d
;;     addl (%rdi), %r8d
;;     leaq 4(%rsi), %rsi
;;     leaq 4(%rdi), %rdi
;;     jmp     label1
;;   block3:
;;     jmp     label4
;;   block4:
;;     leal (%r8, %rax), %eax
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
