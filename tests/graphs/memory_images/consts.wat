;; Offsets other instances' data segments are placed at: constants the
;; build follows through imports.
(module
  (global (export "far") i32 (i32.const 1048576))
  (global (export "wide") i64 (i64.const 70000)))
