;;! format = "clif"
;;! wpo = "none"
;;
;; Pins, in the optimised CLIF: the loads that never change after
;; instantiation are `readonly can_move` — the memory base (vmctx+8) and
;; the immutable global `$k` — and Cranelift hoisted both into the block
;; before the loop. The mutable global `$counter` is a plain load and stays
;; inside the loop, as it must: the loop's store changes it.
(module
  (memory 1)
  (global $k i32 (i32.const 5))
  (global $counter (mut i32) (i32.const 0))
  (func (export "run") (param $ptr i32) (param $n i32)
    (block $done
      (br_if $done (i32.eqz (local.get $n)))
      (loop $next
        (i32.store (local.get $ptr) (i32.mul (i32.load (local.get $ptr)) (global.get $k)))
        (global.set $counter (i32.add (global.get $counter) (i32.const 1)))
        (local.set $ptr (i32.add (local.get $ptr) (i32.const 4)))
        (br_if $next (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))))

;; ---- expected: BLESS=1 cargo test -p wasmlink-codegen --test disas rewrites everything below ----
;; function clif-movable-loads::run:
;;   function %clif-movable-loads::run(i64 vmctx, i32, i32) tail {
;;       gv0 = vmctx
;;       gv1 = load.i64 notrap aligned gv0
;;       gv2 = load.i64 notrap aligned gv1
;;       stack_limit = gv2
;;
;;   block0(v0: i64, v1: i32, v2: i32):
;;       v3 = iconst.i32 0
;;       v4 = icmp eq v2, v3  ; v3 = 0
;;       brif v4, block2, block3
;;
;;   block3:
;;       v31 = uextend.i64 v1
;;       v7 = load.i64 notrap aligned readonly can_move v0+8
;;       v11 = iconst.i64 48
;;       v12 = iadd.i64 v0, v11  ; v11 = 48
;;       v13 = load.i32 notrap aligned readonly can_move v12
;;       v18 = iconst.i64 64
;;       v19 = iadd.i64 v0, v18  ; v18 = 64
;;       v21 = iconst.i32 1
;;       v32 = iconst.i64 4
;;       jump block4(v2, v31)
;;
;;   block4(v27: i32, v30: i64):
;;       v9 = iadd.i64 v7, v30
;;       v10 = load.i32 little v9
;;       v14 = imul v10, v13
;;       store little v14, v9
;;       v41 = iconst.i64 64
;;       v35 = iadd.i64 v0, v41  ; v41 = 64
;;       v20 = load.i32 notrap aligned v35
;;       v36 = iconst.i32 1
;;       v37 = iadd v20, v36  ; v36 = 1
;;       store notrap aligned v37, v35
;;       v38 = isub v27, v36  ; v36 = 1
;;       v39 = iconst.i64 4
;;       v40 = iadd v30, v39  ; v39 = 4
;;       brif v38, block4(v38, v40), block6
;;
;;   block6:
;;       jump block5
;;
;;   block5:
;;       jump block2
;;
;;   block2:
;;       jump block1
;;
;;   block1:
;;       return
;;   }
