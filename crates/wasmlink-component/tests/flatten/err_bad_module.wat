;; An embedded module the component validator accepts but wasmlink does
;; not compile (exception tags).
(component (core module (tag)))
