;;! format = "asm"
;;! wpo = "none"
;;
;; Pins: reading an immutable global is a read-only, movable load, so a
;; read inside a loop is hoisted out of it. `$scale` is defined here (stored
;; inline in the vmctx: `movl 0x18(%rdi), %ecx`) and `$bias` is imported
;; from another instance (lib/globals.wat), so it is reached through a
;; pointer in the vmctx (`movq 0x10(%rdi), %rdx; movl (%rdx), %edx`). All
;; three loads are in block2, before the loop; the loop (block3, back
;; through block4) only multiplies, adds and counts down.
(module
  (import "./lib/globals.wat" "bias" (global $bias i32))
  (global $scale i32 (i32.const 3))
  (func (export "scaled_sum") (param $n i32) (result i32)
    (local $acc i32)
    (block $done
      (br_if $done (i32.eqz (local.get $n)))
      (loop $next
        (local.set $acc
          (i32.add (local.get $acc)
            (i32.add (i32.mul (local.get $n) (global.get $scale)) (global.get $bias))))
        (br_if $next (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
    (local.get $acc)))

;; ---- expected: BLESS=1 cargo test -p wasmlink-codegen --test disas rewrites everything below ----
;; function global-immutable-hoisted::scaled_sum: 59 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     uninit  %rax
;;     xorl %eax, %eax
;;     testl %esi, %esi
;;     jz      label1; j label2
;;   block1:
;;     jmp     label7
;;   block2:
;;     uninit  %rax
;;     xorl %eax, %eax
;;     movl 0x18(%rdi), %ecx
;;     movq 0x10(%rdi), %rdx
;;     movl (%rdx), %edx
;;     jmp     label3
;;   block3:
;;     movq %rsi, %rdi
;;     subl $0x1, %edi
;;     imull %ecx, %esi
;;     leal (%rsi, %rdx), %esi
;;     leal (%rax, %rsi), %eax
;;     testl %edi, %edi
;;     jnz     label4; j label5
;;   block4:
;;     movq %rdi, %rsi
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
