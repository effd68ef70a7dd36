;;! format = "asm"
;;! functions = "tail-call::count"
;;! wpo = "none"
;;
;; Pins: `return_call` is a real tail call: `return_call_known
;; User(%tail-call::count)` tears the frame down and jumps to the callee
;; (here the function itself), instead of a `call` followed by a return,
;; so the recursion runs in constant stack.
(module
  (func $count (export "count") (param $n i32) (param $acc i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (local.get $acc))
      (else
        (return_call $count
          (i32.sub (local.get $n) (i32.const 1))
          (i32.add (local.get $acc) (i32.const 1)))))))

;; ---- expected: BLESS=1 cargo test -p wasmlink-codegen --test disas rewrites everything below ----
;; function tail-call::count: 59 bytes
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
;;     testl %esi, %esi
;;     jz      label2; j label1
;;   block1:
;;     subl $0x1, %esi
;;     leal 1(%rdx), %edx
;;     return_call_known User(%tail-call::count) (0) tmp=%r11 %rdi=%rdi %rsi=%rsi %rdx=%rdx
;;   block2:
;;     movq %rdx, %rax
;;     jmp     label3
;;   block3:
;;     jmp     label4
;;   block4:
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
