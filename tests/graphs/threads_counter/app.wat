;; wasi-threads: _start spawns 4 threads (start arguments 1..4); each runs
;; a new instance of this module, adds its argument 1000 times to a shared
;; counter (through the library instance, with the argument read back
;; through its own table and global), then counts itself done and
;; notifies; _start waits for all four with memory.atomic.wait32. The
;; fourth is spawned through the table.
;;
;; Shared memory: 0 counter, 4 done, 8 instances made (the start function
;; of every instance adds 1), 16 iovec, 24 nwritten, 32..64 digits,
;; 64.. labels.
(module
  (import "env" "memory" (memory 1 1 shared))
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "lib" "bump" (func $bump (param i32 i32)))
  (type $get (func (result i32)))
  (type $spawn_t (func (param i32) (result i32)))
  (global $mine (mut i32) (i32.const 0))
  (table 3 funcref)
  (elem (i32.const 0) $read_mine $read_mine $spawn)
  (data $labels "total threads instances main-global tids-ok\n")
  (start $count_instance)
  (func $count_instance
    (drop (i32.atomic.rmw.add (i32.const 8) (i32.const 1))))
  (func $read_mine (result i32) (global.get $mine))

  ;; print label bytes [off, off+len) of $labels, then " n\n"
  (func $print (param $off i32) (param $len i32) (param $n i32)
    (local $p i32)
    (memory.init $labels (i32.const 64) (local.get $off) (local.get $len))
    (i32.store (i32.const 16) (i32.const 64))
    (i32.store (i32.const 20) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24)))
    (local.set $p (i32.const 63))
    (i32.store8 (local.get $p) (i32.const 10))
    (loop $digits
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p)
        (i32.add (i32.const 48) (i32.rem_u (local.get $n) (i32.const 10))))
      (local.set $n (i32.div_u (local.get $n) (i32.const 10)))
      (br_if $digits (local.get $n)))
    (local.set $p (i32.sub (local.get $p) (i32.const 1)))
    (i32.store8 (local.get $p) (i32.const 32))
    (i32.store (i32.const 16) (local.get $p))
    (i32.store (i32.const 20) (i32.sub (i32.const 64) (local.get $p)))
    (drop (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24))))

  (func (export "wasi_thread_start") (param $tid i32) (param $arg i32)
    (local $i i32)
    ;; A new instance: its global is the initial 0, not _start's 99.
    (if (global.get $mine) (then (unreachable)))
    (global.set $mine (local.get $arg))
    (loop $work
      (call $bump (i32.const 0)
        (call_indirect (type $get) (i32.and (local.get $i) (i32.const 1))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $work (i32.lt_u (local.get $i) (i32.const 1000))))
    (drop (i32.atomic.rmw.add (i32.const 4) (i32.const 1)))
    (drop (memory.atomic.notify (i32.const 4) (i32.const 1))))

  (func (export "_start")
    (local $i i32) (local $tid i32) (local $done i32) (local $ok i32)
    (global.set $mine (i32.const 99))
    (local.set $ok (i32.const 1))
    (loop $spawn_all
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      ;; the last one through the table (thread-spawn's funcref wrapper)
      (local.set $tid
        (if (result i32) (i32.lt_u (local.get $i) (i32.const 4))
          (then (call $spawn (local.get $i)))
          (else (call_indirect (type $spawn_t) (local.get $i) (i32.const 2)))))
      ;; ids are positive and come in order here
      (if (i32.ne (local.get $tid) (local.get $i))
        (then (local.set $ok (i32.const 0))))
      (br_if $spawn_all (i32.lt_u (local.get $i) (i32.const 4))))
    (block $all_done
      (loop $wait
        (local.set $done (i32.atomic.load (i32.const 4)))
        (br_if $all_done (i32.ge_u (local.get $done) (i32.const 4)))
        (drop (memory.atomic.wait32 (i32.const 4) (local.get $done) (i64.const -1)))
        (br $wait)))
    (call $print (i32.const 0) (i32.const 5) (i32.atomic.load (i32.const 0)))
    (call $print (i32.const 6) (i32.const 7) (i32.atomic.load (i32.const 4)))
    (call $print (i32.const 14) (i32.const 9) (i32.atomic.load (i32.const 8)))
    (call $print (i32.const 24) (i32.const 11)
      (call_indirect (type $get) (i32.const 1)))
    (call $print (i32.const 36) (i32.const 7) (local.get $ok))))
