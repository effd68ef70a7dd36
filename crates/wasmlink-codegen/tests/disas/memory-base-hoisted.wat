;;! format = "asm"
;;! wpo = "none"
;;
;; Pins: the memory base is a read-only, movable load (`readonly can_move`),
;; so Cranelift hoists it out of the loop. The base (`movq 8(%rdi), %rsi`)
;; is loaded once in block2, before the loop; the loop is block3 (it
;; branches back to itself through block4) and does only the element load
;; `movl (%rsi, %rcx), %edi`, the add and the counter and pointer updates
;; (the pointer in 64 bits: memory-induction.wat).
(module
  (memory 1)
  (func (export "sum") (param $ptr i32) (param $n i32) (result i32)
    (local $acc i32)
    (block $done
      (br_if $done (i32.eqz (local.get $n)))
      (loop $next
        (local.set $acc (i32.add (local.get $acc) (i32.load (local.get $ptr))))
        (local.set $ptr (i32.add (local.get $ptr) (i32.const 4)))
        (br_if $next (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
    (local.get $acc)))

;; ---- expected: BLESS=1 cargo test -p wasmlink-codegen --test disas rewrites everything below ----
;; function memory-base-hoisted::sum: 50 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     uninit  %rax
;;     xorl %eax, %eax
;;     testl %edx, %edx
;;     jz      label1; j label2
;;   block1:
;;     jmp     label7
;;   block2:
;;     uninit  %rax
;;     xorl %eax, %eax
;;     movl %esi, %ecx
;;     movq 8(%rdi), %rsi
;;     jmp     label3
;;   block3:
;;     movl (%rsi, %rcx), %edi
;;     subl $0x1, %edx
;;     leal (%rax, %rdi), %eax
;;     leaq 4(%rcx), %rcx
;;     testl %edx, %edx
;;     jnz     label4; j label5
;;   block4:
;;     jmp     label3
;;   block5:
;;     jmp     label6
;;   block6:
;;     jmp     label7
;;   block7:
;;     jmp     label8
;;   block8:
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
