;; An embedded module the component validator accepts but wasmlink does
;; not compile (a Wasm GC struct type).
(component (core module (type (struct))))
