;; The shared memory of the benchmark.
(module (memory (export "memory") 1 1 shared))
