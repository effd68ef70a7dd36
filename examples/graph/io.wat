;; io: owns the program's one linear memory and prints from it.
;; Everyone else imports this memory, so a pointer means the same bytes in
;; every module of the graph.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))

  ;; Exported as "memory": WASI calls made by io read this memory.
  ;; Bytes 0..64 are io's scratch space; other modules keep out of it.
  (memory (export "memory") 1)

  ;; print(ptr, len): write memory[ptr..ptr+len] to stdout.
  (func $print (export "print") (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))

  ;; print_i32(n): n in decimal and a newline.
  (func $print_i32 (export "print_i32") (param $n i32)
    (local $p i32) (local $neg i32) (local $u i32)
    (local.set $p (i32.const 47))
    (i32.store8 (local.get $p) (i32.const 10))
    (local.set $neg (i32.lt_s (local.get $n) (i32.const 0)))
    (local.set $u (select (i32.sub (i32.const 0) (local.get $n)) (local.get $n) (local.get $neg)))
    (loop $digits
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p)
        (i32.add (i32.const 48) (i32.rem_u (local.get $u) (i32.const 10))))
      (local.set $u (i32.div_u (local.get $u) (i32.const 10)))
      (br_if $digits (local.get $u)))
    (if (local.get $neg) (then
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p) (i32.const 45))))
    (call $print (local.get $p) (i32.sub (i32.const 48) (local.get $p)))))
