;; lib: defines and exports the tag `err` (an i32 code and an i64 detail)
;; and `other`, and functions that throw them a few frames below the call
;; from main. main imports the tags and catches what lib throws; lib's
;; `guard` catches what main throws with lib's own tag.
(module
  (type $thunk (func))
  (tag $err (export "err") (param i32 i64))
  (tag $other (export "other") (param i32))

  ;; deep(code, n): n frames, each still live (it adds 1 to the result of
  ;; the call, so no frame can be a tail call), then the last one throws
  ;; err(code, code * -1000000000001): the i64 needs all 64 bits.
  (func $deep (param $code i32) (param $n i32) (result i32)
    (if (i32.eqz (local.get $n))
      (then
        (throw $err
          (local.get $code)
          (i64.mul (i64.extend_i32_s (local.get $code)) (i64.const -1000000000001)))))
    (i32.add (call $deep (local.get $code) (i32.sub (local.get $n) (i32.const 1)))
             (i32.const 1)))

  ;; raise(code): raise -> deep x4 -> throw
  (func $raise (export "raise") (param $code i32)
    (drop (call $deep (local.get $code) (i32.const 3))))

  ;; maybe_raise(code, yes): throws like raise when yes != 0, else returns
  ;; code * 2 without throwing
  (func $maybe_raise (export "maybe_raise") (param $code i32) (param $yes i32) (result i32)
    (if (local.get $yes) (then (call $raise (local.get $code))))
    (i32.mul (local.get $code) (i32.const 2)))

  ;; raise_other(v): throws `other`, which main's `catch $err` must not take
  (func $raise_other (export "raise_other") (param $v i32)
    (throw $other (local.get $v)))

  ;; guard(f): calls main's f through call_ref; if f throws lib's `err`
  ;; (main throws it through its import), returns its payload, else
  ;; (-1, -1).
  (func $guard (export "guard") (param $f (ref $thunk)) (result i32 i64)
    (block $caught (result i32 i64)
      (try_table (catch $err $caught)
        (call_ref $thunk (local.get $f)))
      (return (i32.const -1) (i64.const -1)))))
