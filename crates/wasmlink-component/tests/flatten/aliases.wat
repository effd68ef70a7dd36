;; Outer aliases of modules and components, aliases of core exports
;; through a synthesized instance, canonical options (memory, realloc,
;; post-return, string encodings), exported instances and a re-exported
;; imported function.
(component $root
  (import "log" (func $log (param "msg" string)))
  (core module $mem
    (memory (export "memory") 1)
    (func (export "realloc") (param i32 i32 i32 i32) (result i32) i32.const 16)
    (func (export "free") (param i32))
    (func (export "answer") (result i32) i32.const 42))
  (core instance $mem (instantiate $mem))
  (alias core export $mem "memory" (core memory $memory))
  (alias core export $mem "realloc" (core func $realloc))
  (core func $log_lowered (canon lower (func $log) (memory $memory) string-encoding=utf16))
  (core instance $env (export "log" (func $log_lowered)) (export "memory" (memory $memory)))
  (alias core export $env "log" (core func $log_again))
  (core module $user
    (import "env" "log" (func (param i32 i32)))
    (import "env" "memory" (memory 1))
    (import "again" "log" (func (param i32 i32)))
    (func (export "greet") (param i32 i32) (result i32) i32.const 0))
  (core instance $user (instantiate $user
    (with "env" (instance $env))
    (with "again" (instance (export "log" (func $log_again))))))
  (func $greet (param "name" string) (result string)
    (canon lift (core func $user "greet") (memory $memory) (realloc $realloc)
      (post-return (core func $mem "free")) string-encoding=latin1+utf16))
  (component $leaf
    (alias outer $root $mem (core module $m))
    (core instance $i (instantiate $m))
    (func (export "answer") (result s32) (canon lift (core func $i "answer"))))
  (component $outer
    (alias outer $root $leaf (component $l))
    (instance $li (instantiate $l))
    (export "answer" (func $li "answer")))
  (instance $o (instantiate $outer))
  (instance $api (export "greet" (func $greet)) (export "log" (func $log)))
  (export "api" (instance $api))
  (export "log" (func $log))
  (export "answer" (func $o "answer"))
)
