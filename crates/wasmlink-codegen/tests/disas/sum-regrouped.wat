;;! format = "asm"
;;! wpo = "inline,fixed-state,devirtualize,stack-checks"
;;
;; Pins: a 32-bit sum of four terms or more is regrouped so the terms
;; ready last are added last (compile/reassociate.rs).
;; - `round`, SHA-256's `d + h + Σ1(e) + Ch(e, f, g) + K + W` in the order
;;   clang writes it (Σ1 first): `h`, `d` and the two loads are summed
;;   first (`leal (%r8, %rdi)`, `leal (%r10, %r9)` and their sum), then
;;   `Ch`, and `Σ1(e)`, the longest chain (three rotates, two xors), is
;;   added by the last `leal`: one add after it instead of five.
;; - `short`, three terms: left as written.
(module
  (memory 1)
  (func (export "round") (param $e i32) (param $f i32) (param $g i32) (param $h i32)
                         (param $d i32) (param $k i32) (result i32)
    ;; d + (h + Σ1(e) + Ch(e, f, g) + K[k] + W[k]) in clang's order:
    ;; Σ1(e) first, the terms known early after it.
    (i32.add
      (i32.add
        (i32.add
          (i32.add
            (i32.add
              (i32.xor (i32.xor (i32.rotr (local.get $e) (i32.const 6))
                                (i32.rotr (local.get $e) (i32.const 11)))
                       (i32.rotr (local.get $e) (i32.const 25)))
              (local.get $h))
            (i32.xor (i32.and (local.get $e) (local.get $f))
                     (i32.and (i32.xor (local.get $e) (i32.const -1)) (local.get $g))))
          (i32.load (local.get $k)))
        (i32.load offset=256 (local.get $k)))
      (local.get $d)))
  (func (export "short") (param $a i32) (param $b i32) (param $c i32) (result i32)
    ;; Three terms: left as written.
    (i32.add (i32.add (i32.mul (local.get $a) (local.get $b)) (local.get $c)) (local.get $a))))

;; ---- expected: BLESS=1 cargo test -p wasmlink-codegen --test disas rewrites everything below ----
;; function sum-regrouped::round: 84 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     movq <offset:0>+-0x10(%rbp), %rdi
;;     movl %edi, %eax
;;     movl 0x60000000(%rax), %edi
;;     movl 0x60000100(%rax), %r10d
;;     jmp     label1
;;   block1:
;;     movq %rsi, %rax
;;     rorl $0x6, %eax
;;     movq %rsi, %r11
;;     rorl $0xb, %r11d
;;     xorl %r11d, %eax
;;     movq %rsi, %r11
;;     rorl $0x19, %r11d
;;     xorl %r11d, %eax
;;     movq %rsi, %r11
;;     andl %ecx, %r11d
;;     andl %edx, %esi
;;     xorl %ecx, %esi
;;     xorl %esi, %r11d
;;     leal (%r8, %rdi), %ecx
;;     leal (%r10, %r9), %edx
;;     leal (%rcx, %rdx), %ecx
;;     leal (%rcx, %r11), %ecx
;;     leal (%rax, %rcx), %eax
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq $0x10
;;
;; function sum-regrouped::short: 20 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     jmp     label1
;;   block1:
;;     movq %rsi, %rdi
;;     imull %edx, %edi
;;     leal (%rdi, %rcx), %edi
;;     leal (%rdi, %rsi), %eax
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
