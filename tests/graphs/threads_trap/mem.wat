;; The shared memory every instance imports.
(module (memory (export "memory") 1 1 shared))
