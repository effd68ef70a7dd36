(component
  (import "my:pkg/api@1.0.0" (instance $api
    (export "measure" (func (param "name" string) (result u32)))))
  (core module $mem (memory (export "memory") 1) (data (i32.const 100) "Z\ffbra"))
  (core instance $mi (instantiate $mem))
  (alias export $api "measure" (func $measure))
  (core func $measure_lowered (canon lower (func $measure) (memory (core memory $mi "memory"))))
  (core module $m
    (import "api" "measure" (func $measure (param i32 i32) (result i32)))
    (func (export "run") (result i32)
      i32.const 100 i32.const 5 call $measure))
  (core instance $i (instantiate $m (with "api" (instance (export "measure" (func $measure_lowered))))))
  (func (export "run") (result s32) (canon lift (core func $i "run"))))
