;;! format = "asm"
;;! wpo = "inline,fixed-state,devirtualize,stack-checks"
;;
;; Pins: a store of `op(load A, x)` to the same address A becomes one
;; memory-destination instruction, also when Wasm's operand order put
;; another load between the two (translate/read_modify_write.rs).
;; - `axpy`, `c[j] += a * b[j]`: `imull (b)` then `addl %r, (c)`, three
;;   instructions, where reading c[j] into a register first took five.
;; - `sub64`: `subq %r, (p)`, the load of *p on the left of the `sub`.
;; - `add_quotient`: a division (it traps otherwise than a load) lies
;;   between, so the load of *p stays before it (`movl 0x60000000(%r10)`
;;   ahead of `divl`), and the sum is stored with a plain `movl`.
;; - `count`: `*p += 1` with an immediate, `addl $0x1, 8(..)`.
(module
  (memory 1)
  (func (export "axpy") (param $c i32) (param $b i32) (param $a i32) (param $n i32)
    (local $j i32)
    (loop $l
      (i32.store (local.get $c)
        (i32.add (i32.load (local.get $c))
                 (i32.mul (local.get $a) (i32.load (local.get $b)))))
      (local.set $c (i32.add (local.get $c) (i32.const 4)))
      (local.set $b (i32.add (local.get $b) (i32.const 4)))
      (br_if $l (i32.ne (local.tee $j (i32.add (local.get $j) (i32.const 1))) (local.get $n)))))
  (func (export "sub64") (param $p i32) (param $q i32)
    (i64.store (local.get $p) (i64.sub (i64.load (local.get $p)) (i64.load (local.get $q)))))
  (func (export "add_quotient") (param $p i32) (param $d i32)
    (i32.store (local.get $p)
      (i32.add (i32.load (local.get $p)) (i32.div_u (i32.const 100) (local.get $d)))))
  (func (export "count") (param $p i32)
    (i32.store offset=8 (local.get $p)
      (i32.add (i32.load offset=8 (local.get $p)) (i32.const 1)))))

;; ---- expected: BLESS=1 cargo test -p wasmlink-codegen --test disas rewrites everything below ----
;; function memory-update-in-place::axpy: 62 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     movq %rdx, %rax
;;     movl %esi, %edx
;;     leaq 0x60000000(%rdx), %rsi
;;     movl %eax, %eax
;;     subq %rdx, %rax
;;     movl %r8d, %edi
;;     leaq 0x60000000(%rdx, %rdi, 4), %rdx
;;     jmp     label1
;;   block1:
;;     movq %rcx, %rdi
;;     imull (%rsi, %rax), %edi
;;     addl %edi, (%rsi)
;;     leaq 4(%rsi), %rsi
;;     cmpq %rdx, %rsi
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
;; function memory-update-in-place::sub64: 27 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     movl %edx, %edi
;;     movq 0x60000000(%rdi), %rdi
;;     movl %esi, %esi
;;     subq %rdi, 0x60000000(%rsi)
;;     jmp     label1
;;   block1:
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
;;
;; function memory-update-in-place::add_quotient: 43 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     movq %rdx, %rcx
;;     movl %esi, %r10d
;;     movl 0x60000000(%r10), %r11d
;;     movl $0x64, %eax
;;     uninit  %rdx
;;     xorq %rdx, %rdx
;;     divl %ecx ;; implicit: %eax, %edx, trap=254
;;     leal (%r11, %rax), %r9d
;;     movl %r9d, 0x60000000(%r10)
;;     jmp     label1
;;   block1:
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
;;
;; function memory-update-in-place::count: 18 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     movl %esi, %edx
;;     addl $0x1, 0x60000008(%rdx)
;;     jmp     label1
;;   block1:
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
