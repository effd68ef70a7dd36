;;! format = "asm"
;;! functions = "madd"
;;! wpo = "none"
;;
;; Pins: `f32x4.relaxed_madd` is the deterministic choice, unfused: a
;; `mulps` then an `addps` (two roundings), never `vfmadd*`, so the result
;; is the same on every x86-64 machine (relaxed_simd.rs).
(module
  (func (export "madd") (param v128 v128 v128) (result v128)
    (f32x4.relaxed_madd (local.get 0) (local.get 1) (local.get 2)))
  (func (export "_start")))

;; ---- expected: BLESS=1 cargo test -p wasmlink-codegen --test disas rewrites everything below ----
;; function relaxed-madd::madd: 15 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     jmp     label1
;;   block1:
;;     mulps %xmm1, %xmm0
;;     addps %xmm2, %xmm0
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
;;
;; function relaxed-madd::_start: 9 bytes
;;     pushq %rbp
;;     unwind PushFrameRegs { offset_upward_to_caller_sp: 16 }
;;     movq %rsp, %rbp
;;     unwind DefineNewFrame { offset_upward_to_caller_sp: 16, offset_downward_to_clobbers: 0 }
;;   block0:
;;     jmp     label1
;;   block1:
;;     movq %rbp, %rsp
;;     popq %rbp
;;     retq
