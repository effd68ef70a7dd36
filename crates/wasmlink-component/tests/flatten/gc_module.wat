;; An embedded module with a Wasm GC struct type flattens like any other
;; (GC types are compiled; once they were refused here).
(component (core module (type (struct))))
