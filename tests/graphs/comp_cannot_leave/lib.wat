;; `measure`'s post-return calls WASI, which the component model forbids
;; (a post-return may not leave its component instance).
(component $root
  (import "wasi:io/streams@0.2.0" (instance $streams
    (export "output-stream" (type (sub resource)))))
  (alias export $streams "output-stream" (type $os))
  (import "wasi:cli/stdout@0.2.0" (instance $stdout
    (alias outer $root $os (type $os'))
    (export "output-stream" (type (eq $os')))
    (export "get-stdout" (func (result (own $os'))))))
  (alias export $stdout "get-stdout" (func $get))
  (core func $get_lowered (canon lower (func $get)))
  (core module $m
    (import "wasi" "get-stdout" (func $get (result i32)))
    (memory (export "memory") 1)
    (func (export "realloc") (param i32 i32 i32 i32) (result i32) i32.const 1024)
    (func (export "measure") (param $ptr i32) (param $len i32) (result i32)
      local.get $len)
    (func (export "after") (param i32) call $get drop))
  (core instance $i (instantiate $m (with "wasi" (instance (export "get-stdout" (func $get_lowered))))))
  (func $measure (param "name" string) (result u32)
    (canon lift (core func $i "measure") (memory (core memory $i "memory"))
      (realloc (core func $i "realloc")) (post-return (core func $i "after"))))
  (instance $api (export "measure" (func $measure)))
  (export "my:pkg/api@1.0.0" (instance $api)))
