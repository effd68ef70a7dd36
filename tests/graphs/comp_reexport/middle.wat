;; Passes on the interface it imports, unchanged: one function re-exported
;; by name, and the whole instance re-exported.
(component
  (import "my:pkg/api@1.0.0" (instance $api
    (export "measure" (func (param "name" string) (result u32)))))
  (alias export $api "measure" (func $measure))
  (export "my:pkg/api@1.0.0" (instance $api))
  (export "measure" (func $measure)))
