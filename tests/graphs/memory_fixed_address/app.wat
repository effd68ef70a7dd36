;; The entry's memory lives at the fixed address 0x60000000 under
;; `fixed-state` (the default of a static build): it reads and writes like
;; any memory, `memory.grow` keeps the base, and a static offset too big
;; to fold into an x86-64 displacement with the base (over 512 MiB) still
;; reaches the right byte. The exit status (42) adds the values read back.
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  ;; 16 385 pages: 1 GiB + 64 KiB, reserved but only touched where used.
  (memory 16385)
  (func (export "_start")
    (i32.store (i32.const 65532) (i32.const 40))
    (drop (memory.grow (i32.const 1)))
    (i32.store (i32.const 0x40010ffc) (i32.const 2))
    (i32.store offset=0x40000010 (i32.const 0) (i32.const 7))
    (call $exit
      (i32.sub
        (i32.add (i32.add (i32.load (i32.const 65532)) (i32.load (i32.const 0x40010ffc)))
          (i32.load (i32.const 0x40000010)))
        (i32.const 7)))))
