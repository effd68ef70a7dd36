;;! format = "clif"
;;! wpo = "none"
;;! functions = "gc-casts::"
;;
;; Pins how Wasm GC casts are lowered (translate/casts.rs). `to_final`
;; casts to a final struct type: after the null and "is an object" tests
;; (low three bits clear), one load of the header's type descriptor and
;; one compare with the type's static descriptor (`symbol_value`), no
;; display walk. `to_open` casts to a type with subtypes: the descriptor's
;; depth is compared with the target's (1 here), then the display entry at
;; that depth (offset 8) is compared. `is_i31` needs no load at all: a
;; test of bit 0. `get` reads a field at a constant offset after an
;; explicit null check (`null structure reference`).
(module
  (type $base (sub (struct (field i32))))
  (type $mid (sub $base (struct (field i32) (field i64))))
  (type $leaf (sub final $mid (struct (field i32) (field i64) (field f32))))
  ;; The listing's entry (a function with numeric parameters).
  (func (export "main"))
  (func (export "to_final") (param anyref) (result (ref $leaf))
    (ref.cast (ref $leaf) (local.get 0)))
  (func (export "to_open") (param anyref) (result i32)
    (ref.test (ref $mid) (local.get 0)))
  (func (export "is_i31") (param anyref) (result i32)
    (ref.test (ref i31) (local.get 0)))
  (func (export "get") (param (ref null $mid)) (result i64)
    (struct.get $mid 1 (local.get 0))))

;; ---- expected: BLESS=1 cargo test -p wasmlink-codegen --test disas rewrites everything below ----
;; function gc-casts::main:
;;   function %gc-casts::main(i64 vmctx) tail {
;;       gv0 = vmctx
;;       gv1 = load.i64 notrap aligned gv0
;;       gv2 = load.i64 notrap aligned gv1
;;       stack_limit = gv2
;;
;;   block0(v0: i64):
;;       jump block1
;;
;;   block1:
;;       return
;;   }
;;
;; function gc-casts::to_final:
;;   function %gc-casts::to_final(i64 vmctx, i64) -> i64 tail {
;;       gv0 = symbol colocated userextname0
;;       gv1 = vmctx
;;       gv2 = load.i64 notrap aligned gv1
;;       gv3 = load.i64 notrap aligned gv2
;;       stack_limit = gv3
;;
;;   block0(v0: i64, v1: i64):
;;       v3 = iconst.i64 0
;;       v4 = icmp eq v1, v3  ; v3 = 0
;;       v8 = iconst.i64 7
;;       v9 = band v1, v8  ; v8 = 7
;;       v11 = icmp ne v9, v3  ; v3 = 0
;;       v13 = bor v4, v11
;;       v5 = iconst.i8 0
;;       brif v13, block3(v5), block2  ; v5 = 0
;;
;;   block2:
;;       v15 = load.i64 notrap aligned v1
;;       v14 = symbol_value.i64 gv0
;;       v16 = icmp eq v15, v14
;;       jump block3(v16)
;;
;;   block3(v6: i8):
;;       trapz v6, user40_cast_failure
;;       jump block1
;;
;;   block1:
;;       return v1
;;   }
;;
;; function gc-casts::to_open:
;;   function %gc-casts::to_open(i64 vmctx, i64) -> i32 tail {
;;       gv0 = symbol colocated userextname0
;;       gv1 = vmctx
;;       gv2 = load.i64 notrap aligned gv1
;;       gv3 = load.i64 notrap aligned gv2
;;       stack_limit = gv3
;;
;;   block0(v0: i64, v1: i64):
;;       v3 = iconst.i64 0
;;       v4 = icmp eq v1, v3  ; v3 = 0
;;       v8 = iconst.i64 7
;;       v9 = band v1, v8  ; v8 = 7
;;       v11 = icmp ne v9, v3  ; v3 = 0
;;       v13 = bor v4, v11
;;       v5 = iconst.i8 0
;;       brif v13, block3(v5), block2  ; v5 = 0
;;
;;   block2:
;;       v15 = load.i64 notrap aligned v1
;;       v16 = load.i32 notrap aligned v15+4
;;       v26 = iconst.i8 0
;;       brif v16, block4, block3(v26)  ; v26 = 0
;;
;;   block4:
;;       v19 = load.i64 notrap aligned v15+8
;;       v20 = load.i64 notrap aligned v19+8
;;       v14 = symbol_value.i64 gv0
;;       v21 = icmp eq v20, v14
;;       jump block3(v21)
;;
;;   block3(v6: i8):
;;       jump block1
;;
;;   block1:
;;       v22 = uextend.i32 v6
;;       return v22
;;   }
;;
;; function gc-casts::is_i31:
;;   function %gc-casts::is_i31(i64 vmctx, i64) -> i32 tail {
;;       gv0 = vmctx
;;       gv1 = load.i64 notrap aligned gv0
;;       gv2 = load.i64 notrap aligned gv1
;;       stack_limit = gv2
;;
;;   block0(v0: i64, v1: i64):
;;       jump block1
;;
;;   block1:
;;       v3 = iconst.i64 0
;;       v4 = icmp.i64 eq v1, v3  ; v3 = 0
;;       v5 = iconst.i8 0
;;       v6 = iconst.i64 1
;;       v7 = band.i64 v1, v6  ; v6 = 1
;;       v9 = icmp ne v7, v3  ; v3 = 0
;;       v10 = select v4, v5, v9  ; v5 = 0
;;       v11 = uextend.i32 v10
;;       return v11
;;   }
;;
;; function gc-casts::get:
;;   function %gc-casts::get(i64 vmctx, i64) -> i64 tail {
;;       gv0 = vmctx
;;       gv1 = load.i64 notrap aligned gv0
;;       gv2 = load.i64 notrap aligned gv1
;;       stack_limit = gv2
;;
;;   block0(v0: i64, v1: i64):
;;       trapz v1, user37_null_structure_reference
;;       v3 = load.i64 notrap v1+24
;;       jump block1
;;
;;   block1:
;;       return v3
;;   }
