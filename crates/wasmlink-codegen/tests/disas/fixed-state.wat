;;! format = "asm"
;;! wpo = "fixed-state"
;;! functions = "fixed-state::"
;;
;; Pins the `fixed-state` optimisation: this source has one instance, so
;; its function reaches its memory and its mutable global at the instance
;; vmctx's link-time address (`load_ext_name %__wl_i0_vmctx+0`), never
;; through the vmctx parameter (%rdi is not read), and its immutable
;; global $step (a number) is that number: `bump` adds `$step` as an
;; immediate (no load). `add_to_lib` reads the mutable global
;; lib/state.wat exports at its place in that instance's vmctx
;; (`load_ext_name %__wl_i1_vmctx+0`, then the global at its offset), not
;; through a pointer in this instance's vmctx; the memory it exports is
;; the entry's memory 0, which the program reserves at the fixed address
;; 0x60000000, so the load is `0x60000000(%index)`: no register holds the
;; base and nothing loads it. `bump`'s own memory (memory 1) is not the
;; fixed one: its base is loaded from the vmctx (`movq 0x10(...)`).
(module
  (import "./lib/state.wat" "memory" (memory $lib 1))
  (import "./lib/state.wat" "total" (global $total (mut i32)))
  (memory $own 1)
  (global $count (mut i32) (i32.const 0))
  (global $step i32 (i32.const 5))
  (func (export "bump") (param i32) (result i32)
    (global.set $count
      (i32.add (i32.add (global.get $count) (i32.load $own (local.get 0))) (global.get $step)))
    (global.get $count))
  (func (export "add_to_lib") (param i32)
    (global.set $total (i32.add (global.get $total) (i32.load $lib (local.get 0))))))

;; ---- expected: BLESS=1 cargo test -p wasmlink-codegen --test disas rewrites everything below ----
;; function fixed-state::bump: 45 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     load_ext_name %__wl_i0_vmctx+0, %r9
;;     movl 0x38(%r9), %r8d
;;     movq 0x10(%r9), %r10
;;     movl %esi, %r11d
;;     movl (%r10, %r11), %r10d
;;     leal 5(%r8, %r10), %r11d
;;     movl %r11d, 0x38(%r9)
;;     jmp     label1
;;   block1:
;;     leal 5(%r8, %r10), %eax
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
;;
;; function fixed-state::add_to_lib: 35 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     movq %rsi, %r8
;;     load_ext_name %__wl_i1_vmctx+0, %rsi
;;     movl 0x30(%rsi), %edi
;;     movl %r8d, %r8d
;;     addl 0x60000000(%r8), %edi
;;     movl %edi, 0x30(%rsi)
;;     jmp     label1
;;   block1:
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
