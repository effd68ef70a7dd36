;;! format = "asm"
;;! wpo = "none"
;;
;; Pins: `memory.size` reads the memory's current byte length from its
;; VMMemory in the vmctx (`movq 0x10(%rdi), %rax`: a plain load, the length
;; changes on growth) and shifts it right by 16; it calls nothing, so it
;; has no stack check. `memory.grow` passes the VMMemory's address (`leaq
;; 8(%rdi), %rdi`) and the zero-extended delta to the runtime's
;; `wasmlink_memory_grow`, called through its address (the runtime is
;; outside the object); the u64 result (u64::MAX when growth fails) is
;; truncated to the i32 -1 Wasm wants for free, by using %eax.
(module
  (memory 1 10)
  (func (export "size") (result i32)
    (memory.size))
  (func (export "grow") (param i32) (result i32)
    (memory.grow (local.get 0))))

;; ---- expected: BLESS=1 cargo test -p wasmlink-codegen --test disas rewrites everything below ----
;; function memory-grow-size::size: 17 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     movq 0x10(%rdi), %rax
;;     jmp     label1
;;   block1:
;;     shrq $0x10, %rax
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
;;
;; function memory-grow-size::grow: 49 bytes
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
;;     leaq 8(%rdi), %rdi
;;     movl %esi, %esi
;;     load_ext_name %wasmlink_memory_grow+0, %r8
;;     call    *%r8
;;     jmp     label1
;;   block1:
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
