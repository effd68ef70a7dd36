;;! format = "clif"
;;! wpo = "inline,fixed-state,devirtualize,stack-checks"
;;! functions = "loop-twin-inductions::"
;;
;; Pins, in the optimised CLIF: header parameters that every back edge
;; steps by the same amount (compile/twin_inductions.rs). In `marks`, `$i`
;; (by then a pointer into the memory, the i64 v31) and `$k` (= $i + 7)
;; step by 1, and `$k` is read only when the byte at `$i` is zero: the
;; header (block2) keeps the pointer and not `$k`, whose step is gone from
;; the latch (block6); block4 computes it from the pointer's low half
;; (`ireduce.i32`) plus the difference of the two on entry (a constant).
;; In `wide`, the i32 `$j` steps with the i64 `$w` and is read on every
;; fourth iteration: block4 reads it as the low half of `$w` plus `$j0`
;; (`$w` starts at 0). In `counted`, `$i` counts to `$n` beside the
;; i64 `$w` and leaves when it gets there (`icmp eq`): the exit test
;; compares `$w`'s low half with `$n` moved by the difference (computed
;; in block0), and `$i` is gone from the header (block3). `every` reads
;; its twin on every iteration, and keeps both.
(module
  (memory 1)
  (func (export "marks") (param $n i32) (result i32)
    (local $i i32) (local $k i32) (local $acc i32)
    (local.set $k (i32.const 7))
    (loop $l
      (if (i32.eqz (i32.load8_u (local.get $i)))
        (then (local.set $acc (i32.xor (i32.rotl (local.get $acc) (i32.const 3)) (local.get $k)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $acc))
  (func (export "wide") (param $n i64) (param $j0 i32) (result i32)
    (local $w i64) (local $j i32) (local $acc i32)
    (local.set $j (local.get $j0))
    (loop $l
      (if (i64.eqz (i64.and (local.get $w) (i64.const 3)))
        (then (local.set $acc (i32.add (local.get $acc) (local.get $j)))))
      (local.set $w (i64.add (local.get $w) (i64.const 1)))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br_if $l (i64.lt_u (local.get $w) (local.get $n))))
    (local.get $acc))
  (func (export "counted") (param $n i32) (result i64)
    (local $w i64) (local $i i32) (local $acc i64)
    (local.set $w (i64.const 5))
    (block $done
      (loop $l
        (local.set $acc (i64.add (local.get $acc) (local.get $w)))
        (if (i64.eqz (i64.and (local.get $acc) (i64.const 15)))
          (then (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (local.get $i))))))
        (local.set $w (i64.add (local.get $w) (i64.const 1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $done (i32.eq (local.get $i) (local.get $n)))
        (br $l)))
    (local.get $acc))
  (func (export "every") (param $n i32) (result i32)
    (local $i i32) (local $k i32) (local $acc i32)
    (local.set $k (i32.const 7))
    (loop $l
      (local.set $acc (i32.add (local.get $acc) (local.get $k)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $acc)))

;; ---- expected: BLESS=1 cargo test -p wasmlink-codegen --test disas rewrites everything below ----
;; function loop-twin-inductions::marks:
;;   function %loop-twin-inductions::marks(i64 vmctx, i32) -> i32 tail {
;;       gv0 = symbol colocated userextname0
;;       gv1 = vmctx
;;       gv2 = load.i64 notrap aligned gv1
;;       gv3 = load.i64 notrap aligned gv2
;;
;;   block0(v0: i64, v1: i32):
;;       v3 = iconst.i32 0
;;       v5 = iconst.i32 7
;;       v32 = iconst.i64 0x6000_0000
;;       v15 = iconst.i32 3
;;       v51 = iconst.i32 -1610612735
;;       v20 = iconst.i32 1
;;       v34 = iconst.i64 1
;;       jump block2(v3, v32)  ; v3 = 0, v32 = 0x6000_0000
;;
;;   block2(v14: i32, v30: i64):
;;       v10 = uload8.i32 little v30
;;       v58 = iconst.i32 0
;;       v59 = icmp eq v10, v58  ; v58 = 0
;;       brif v59, block4, block5
;;
;;   block4:
;;       v68 = ireduce.i32 v30
;;       v69 = iconst.i32 -1610612729
;;       v70 = iadd v68, v69  ; v69 = -1610612729
;;       v60 = iconst.i32 3
;;       v61 = rotl.i32 v14, v60  ; v60 = 3
;;       v18 = bxor v61, v70
;;       jump block6(v18)
;;
;;   block5:
;;       jump block6(v14)
;;
;;   block6(v29: i32):
;;       v45 = ireduce.i32 v30
;;       v62 = iconst.i32 -1610612735
;;       v63 = iadd v45, v62  ; v62 = -1610612735
;;       v27 = icmp ult v63, v1
;;       v64 = iconst.i32 1
;;       v66 = iconst.i64 1
;;       v67 = iadd.i64 v30, v66  ; v66 = 1
;;       brif v27, block2(v29, v67), block7
;;
;;   block7:
;;       jump block3
;;
;;   block3:
;;       jump block1(v29)
;;
;;   block1(v4: i32):
;;       return v4
;;   }
;;
;; function loop-twin-inductions::wide:
;;   function %loop-twin-inductions::wide(i64 vmctx, i64, i32) -> i32 tail {
;;       gv0 = symbol colocated userextname0
;;       gv1 = vmctx
;;       gv2 = load.i64 notrap aligned gv1
;;       gv3 = load.i64 notrap aligned gv2
;;
;;   block0(v0: i64, v1: i64, v2: i32):
;;       v4 = iconst.i64 0
;;       v5 = iconst.i32 0
;;       v8 = iconst.i64 3
;;       v17 = iconst.i64 1
;;       v20 = iconst.i32 1
;;       jump block2(v4, v5)  ; v4 = 0, v5 = 0
;;
;;   block2(v7: i64, v13: i32):
;;       v27 = iconst.i64 3
;;       v28 = band v7, v27  ; v27 = 3
;;       v29 = iconst.i64 0
;;       v30 = icmp eq v28, v29  ; v29 = 0
;;       brif v30, block4, block5
;;
;;   block4:
;;       v35 = ireduce.i32 v7
;;       v36 = iadd v35, v2
;;       v15 = iadd.i32 v13, v36
;;       jump block6(v15)
;;
;;   block5:
;;       jump block6(v13)
;;
;;   block6(v26: i32):
;;       v31 = iconst.i64 1
;;       v32 = iadd.i64 v7, v31  ; v31 = 1
;;       v24 = icmp ult v32, v1
;;       v33 = iconst.i32 1
;;       brif v24, block2(v32, v26), block7
;;
;;   block7:
;;       jump block3
;;
;;   block3:
;;       jump block1(v26)
;;
;;   block1(v6: i32):
;;       return v6
;;   }
;;
;; function loop-twin-inductions::counted:
;;   function %loop-twin-inductions::counted(i64 vmctx, i32) -> i64 tail {
;;       gv0 = symbol colocated userextname0
;;       gv1 = vmctx
;;       gv2 = load.i64 notrap aligned gv1
;;       gv3 = load.i64 notrap aligned gv2
;;
;;   block0(v0: i64, v1: i32):
;;       v3 = iconst.i64 0
;;       v7 = iconst.i64 5
;;       v4 = iconst.i32 0
;;       v11 = iconst.i64 15
;;       v23 = iconst.i32 1
;;       v20 = iconst.i64 1
;;       v41 = iconst.i32 1
;;       v42 = isub v1, v41  ; v41 = 1
;;       v43 = iconst.i32 -5
;;       v44 = isub v42, v43  ; v43 = -5
;;       jump block3(v3, v7)  ; v3 = 0, v7 = 5
;;
;;   block3(v8: i64, v9: i64):
;;       v10 = iadd v8, v9
;;       v30 = iconst.i64 15
;;       v31 = band v10, v30  ; v30 = 15
;;       v32 = iconst.i64 0
;;       v33 = icmp eq v31, v32  ; v32 = 0
;;       brif v33, block5, block6
;;
;;   block5:
;;       v38 = ireduce.i32 v9
;;       v39 = iconst.i32 -5
;;       v40 = iadd v38, v39  ; v39 = -5
;;       v17 = uextend.i64 v40
;;       v18 = iadd.i64 v10, v17
;;       jump block7(v18)
;;
;;   block6:
;;       jump block7(v10)
;;
;;   block7(v29: i64):
;;       v34 = iconst.i32 1
;;       v45 = ireduce.i32 v9
;;       v27 = icmp eq v45, v44
;;       brif v27, block2, block8
;;
;;   block8:
;;       v36 = iconst.i64 1
;;       v37 = iadd.i64 v9, v36  ; v36 = 1
;;       jump block3(v29, v37)
;;
;;   block2:
;;       jump block1(v29)
;;
;;   block1(v6: i64):
;;       return v6
;;   }
;;
;; function loop-twin-inductions::every:
;;   function %loop-twin-inductions::every(i64 vmctx, i32) -> i32 tail {
;;       gv0 = symbol colocated userextname0
;;       gv1 = vmctx
;;       gv2 = load.i64 notrap aligned gv1
;;       gv3 = load.i64 notrap aligned gv2
;;
;;   block0(v0: i64, v1: i32):
;;       v3 = iconst.i32 0
;;       v5 = iconst.i32 7
;;       v10 = iconst.i32 1
;;       jump block2(v3, v5, v3)  ; v3 = 0, v5 = 7, v3 = 0
;;
;;   block2(v6: i32, v7: i32, v9: i32):
;;       v17 = iconst.i32 1
;;       v18 = iadd v9, v17  ; v17 = 1
;;       v15 = icmp ult v18, v1
;;       v8 = iadd v6, v7
;;       v19 = iadd v7, v17  ; v17 = 1
;;       brif v15, block2(v8, v19, v18), block4
;;
;;   block4:
;;       jump block3
;;
;;   block3:
;;       jump block1
;;
;;   block1:
;;       return v8
;;   }
