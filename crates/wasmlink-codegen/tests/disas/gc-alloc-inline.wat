;;! format = "clif"
;;! wpo = "none"
;;! functions = "gc-alloc-inline::"
;;
;; Pins inline GC allocation (translate/gc.rs `alloc_object`). `small`
;; (a 16-byte payload: the 32-byte class, free list 1 at offset 8 of
;; `wasmlink_gc_heap`) takes the head of that list when it is not null and
;; the budget (offset 0x140) still holds 32 bytes: it stores the next free
;; cell back, lowers the budget, writes the header (type descriptor, then
;; zero `gc_bits` and `length` in one word) and zeroes the payload, with
;; no call; otherwise it calls `wasmlink_gc_alloc`. `large` (a 72-byte
;; payload) and `dynamic` (an array of a length known only at run time)
;; always call the runtime.
(module
  (type $pair (struct (field i64) (field i64)))
  (type $nine (struct (field i64) (field i64) (field i64) (field i64) (field i64)
                      (field i64) (field i64) (field i64) (field i64)))
  (type $bytes (array (mut i8)))
  (func (export "main"))
  (func (export "small") (result anyref)
    (struct.new $pair (i64.const 1) (i64.const 2)))
  (func (export "large") (result anyref)
    (struct.new_default $nine))
  (func (export "dynamic") (param i32) (result anyref)
    (array.new_default $bytes (local.get 0))))

;; ---- expected: BLESS=1 cargo test -p wasmlink-codegen --test disas rewrites everything below ----
;; function gc-alloc-inline::main:
;;   function %gc-alloc-inline::main(i64 vmctx) tail {
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
;; function gc-alloc-inline::small:
;;   function %gc-alloc-inline::small(i64 vmctx) -> i64 tail {
;;       gv0 = symbol colocated userextname0
;;       gv1 = symbol colocated userextname1
;;       gv2 = vmctx
;;       gv3 = load.i64 notrap aligned gv2
;;       gv4 = load.i64 notrap aligned gv3
;;       sig0 = (i64, i32) -> i64 system_v
;;       fn0 = %wasmlink_gc_alloc sig0
;;       stack_limit = gv4
;;
;;   block0(v0: i64):
;;       v6 = symbol_value.i64 gv1
;;       v7 = load.i64 notrap aligned v6+8
;;       v8 = load.i64 notrap aligned v6+320
;;       v9 = iconst.i64 0
;;       v10 = icmp ne v7, v9  ; v9 = 0
;;       v11 = iconst.i64 32
;;       v12 = icmp sge v8, v11  ; v11 = 32
;;       v13 = band v10, v12
;;       brif v13, block2, block3
;;
;;   block2:
;;       v15 = load.i64 notrap aligned v7
;;       store notrap aligned v15, v6+8
;;       v16 = iconst.i64 -32
;;       v17 = iadd.i64 v8, v16  ; v16 = -32
;;       store notrap aligned v17, v6+320
;;       v21 = symbol_value.i64 gv0
;;       store notrap aligned v21, v7
;;       v22 = iconst.i64 0
;;       store notrap aligned v22, v7+8  ; v22 = 0
;;       store notrap aligned v22, v7+16  ; v22 = 0
;;       store notrap aligned v22, v7+24  ; v22 = 0
;;       jump block4(v7)
;;
;;   block3:
;;       v5 = symbol_value.i64 gv0
;;       v4 = iconst.i32 0
;;       v20 = call fn0(v5, v4)  ; v4 = 0
;;       trapz v20, user42_allocation_failure
;;       jump block4(v20)
;;
;;   block4(v14: i64):
;;       v2 = iconst.i64 1
;;       store notrap v2, v14+16  ; v2 = 1
;;       v3 = iconst.i64 2
;;       store notrap v3, v14+24  ; v3 = 2
;;       jump block1(v14)
;;
;;   block1(v1: i64):
;;       return v1
;;   }
;;
;; function gc-alloc-inline::large:
;;   function %gc-alloc-inline::large(i64 vmctx) -> i64 tail {
;;       gv0 = symbol colocated userextname0
;;       gv1 = vmctx
;;       gv2 = load.i64 notrap aligned gv1
;;       gv3 = load.i64 notrap aligned gv2
;;       sig0 = (i64, i32) -> i64 system_v
;;       fn0 = %wasmlink_gc_alloc sig0
;;       stack_limit = gv3
;;
;;   block0(v0: i64):
;;       v3 = symbol_value.i64 gv0
;;       v2 = iconst.i32 0
;;       v4 = call fn0(v3, v2)  ; v2 = 0
;;       trapz v4, user42_allocation_failure
;;       jump block1
;;
;;   block1:
;;       return v4
;;   }
;;
;; function gc-alloc-inline::dynamic:
;;   function %gc-alloc-inline::dynamic(i64 vmctx, i32) -> i64 tail {
;;       gv0 = symbol colocated userextname0
;;       gv1 = vmctx
;;       gv2 = load.i64 notrap aligned gv1
;;       gv3 = load.i64 notrap aligned gv2
;;       sig0 = (i64, i32) -> i64 system_v
;;       fn0 = %wasmlink_gc_alloc sig0
;;       stack_limit = gv3
;;
;;   block0(v0: i64, v1: i32):
;;       v3 = symbol_value.i64 gv0
;;       v4 = call fn0(v3, v1)
;;       trapz v4, user42_allocation_failure
;;       jump block1
;;
;;   block1:
;;       return v4
;;   }
