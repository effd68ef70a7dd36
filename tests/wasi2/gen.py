#!/usr/bin/env python3
"""Generate wasi2.wat: one core module importing WASI 0.2 in lowered form
(as wit-bindgen emits), whose first argument picks what it does. The
tests/graphs/wasi2_* cases run it with wasmlink and, wrapped as a
component (tests/tools/wasi2-component.sh), with wasmtime.

String literals are written S"text" in the template below; this script
lays them out in a data segment and replaces each with its
(pointer, length) pair. Run it after editing: python3 gen.py
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sockets  # noqa: E402  (the wasi:sockets commands)

HERE = os.path.dirname(os.path.abspath(__file__))
STRINGS_AT = 2048

TEMPLATE = r'''
(module
  ;; wasi:cli
  (import "wasi:cli/environment@0.2.0" "get-arguments" (func $get_arguments (param i32)))
  (import "wasi:cli/environment@0.2.3" "get-environment" (func $get_environment (param i32)))
  (import "wasi:cli/exit@0.2.0" "exit" (func $exit (param i32)))
  (import "wasi:cli/stdin@0.2.0" "get-stdin" (func $get_stdin (result i32)))
  (import "wasi:cli/stdout@0.2.0" "get-stdout" (func $get_stdout (result i32)))
  ;; wasi:io
  (import "wasi:io/streams@0.2.0" "[method]output-stream.blocking-write-and-flush"
    (func $blocking_write_and_flush (param i32 i32 i32 i32)))
  (import "wasi:io/streams@0.2.0" "[method]output-stream.subscribe" (func $output_subscribe (param i32) (result i32)))
  (import "wasi:io/streams@0.2.0" "[resource-drop]output-stream" (func $drop_output (param i32)))
  (import "wasi:io/streams@0.2.0" "[method]input-stream.blocking-read" (func $blocking_read (param i32 i64 i32)))
  (import "wasi:io/streams@0.2.0" "[method]input-stream.subscribe" (func $input_subscribe (param i32) (result i32)))
  (import "wasi:io/streams@0.2.0" "[resource-drop]input-stream" (func $drop_input (param i32)))
  (import "wasi:io/poll@0.2.0" "poll" (func $poll (param i32 i32 i32)))
  (import "wasi:io/poll@0.2.0" "[method]pollable.ready" (func $ready (param i32) (result i32)))
  (import "wasi:io/poll@0.2.0" "[method]pollable.block" (func $block (param i32)))
  (import "wasi:io/poll@0.2.0" "[resource-drop]pollable" (func $drop_pollable (param i32)))
  ;; wasi:clocks
  (import "wasi:clocks/monotonic-clock@0.2.0" "now" (func $mono_now (result i64)))
  (import "wasi:clocks/monotonic-clock@0.2.0" "resolution" (func $mono_resolution (result i64)))
  (import "wasi:clocks/monotonic-clock@0.2.0" "subscribe-duration" (func $subscribe_duration (param i64) (result i32)))
  (import "wasi:clocks/wall-clock@0.2.0" "now" (func $wall_now (param i32)))
  ;; wasi:random
  (import "wasi:random/random@0.2.0" "get-random-bytes" (func $random_bytes (param i64 i32)))
  (import "wasi:random/random@0.2.0" "get-random-u64" (func $random_u64 (result i64)))
  (import "wasi:random/insecure@0.2.0" "get-insecure-random-bytes" (func $insecure_bytes (param i64 i32)))
  (import "wasi:random/insecure-seed@0.2.0" "insecure-seed" (func $insecure_seed (param i32)))
  ;; wasi:filesystem
  (import "wasi:filesystem/preopens@0.2.0" "get-directories" (func $get_directories (param i32)))
  (import "wasi:filesystem/types@0.2.0" "[method]descriptor.open-at"
    (func $open_at (param i32 i32 i32 i32 i32 i32 i32)))
  (import "wasi:filesystem/types@0.2.0" "[method]descriptor.write" (func $fwrite (param i32 i32 i32 i64 i32)))
  (import "wasi:filesystem/types@0.2.0" "[method]descriptor.read" (func $fread (param i32 i64 i64 i32)))
  (import "wasi:filesystem/types@0.2.0" "[method]descriptor.stat" (func $stat (param i32 i32)))
  (import "wasi:filesystem/types@0.2.0" "[method]descriptor.stat-at" (func $stat_at (param i32 i32 i32 i32 i32)))
  (import "wasi:filesystem/types@0.2.0" "[method]descriptor.get-type" (func $get_type (param i32 i32)))
  (import "wasi:filesystem/types@0.2.0" "[method]descriptor.write-via-stream" (func $write_via_stream (param i32 i64 i32)))
  (import "wasi:filesystem/types@0.2.0" "[method]descriptor.read-via-stream" (func $read_via_stream (param i32 i64 i32)))
  (import "wasi:filesystem/types@0.2.0" "[method]descriptor.create-directory-at" (func $mkdir_at (param i32 i32 i32 i32)))
  (import "wasi:filesystem/types@0.2.0" "[method]descriptor.remove-directory-at" (func $rmdir_at (param i32 i32 i32 i32)))
  (import "wasi:filesystem/types@0.2.0" "[method]descriptor.unlink-file-at" (func $unlink_at (param i32 i32 i32 i32)))
  (import "wasi:filesystem/types@0.2.0" "[method]descriptor.rename-at" (func $rename_at (param i32 i32 i32 i32 i32 i32 i32)))
  (import "wasi:filesystem/types@0.2.0" "[method]descriptor.symlink-at" (func $symlink_at (param i32 i32 i32 i32 i32 i32)))
  (import "wasi:filesystem/types@0.2.0" "[method]descriptor.readlink-at" (func $readlink_at (param i32 i32 i32 i32)))
  (import "wasi:filesystem/types@0.2.0" "[method]descriptor.is-same-object" (func $is_same_object (param i32 i32) (result i32)))
  (import "wasi:filesystem/types@0.2.0" "[method]descriptor.read-directory" (func $read_directory (param i32 i32)))
  (import "wasi:filesystem/types@0.2.0" "[method]directory-entry-stream.read-directory-entry"
    (func $read_directory_entry (param i32 i32)))
  (import "wasi:filesystem/types@0.2.0" "[resource-drop]directory-entry-stream" (func $drop_dir_stream (param i32)))
  (import "wasi:filesystem/types@0.2.0" "[resource-drop]descriptor" (func $drop_descriptor (param i32)))
  (import "wasi:filesystem/types@0.2.0" "[method]descriptor.get-flags" (func $get_flags (param i32 i32)))
  (import "wasi:filesystem/types@0.2.0" "[method]descriptor.set-size" (func $set_size (param i32 i64 i32)))
  (import "wasi:filesystem/types@0.2.0" "[method]descriptor.advise" (func $advise (param i32 i64 i64 i32 i32)))
  (import "wasi:filesystem/types@0.2.0" "filesystem-error-code" (func $filesystem_error_code (param i32 i32)))
@SOCKET_IMPORTS@
  (memory (export "memory") 2)
  ;; Bump allocator from 64 KiB up; memory grows as needed.
  (global $heap (mut i32) (i32.const 65536))
  (global $stdout (mut i32) (i32.const 0))

  (func $cabi_realloc (export "cabi_realloc") (param $old i32) (param $old_size i32) (param $align i32) (param $size i32) (result i32)
    (local $p i32)
    (local.set $p (i32.and (i32.add (global.get $heap) (i32.sub (local.get $align) (i32.const 1)))
                           (i32.sub (i32.const 0) (local.get $align))))
    (global.set $heap (i32.add (local.get $p) (local.get $size)))
    (block $ok
      (br_if $ok (i32.le_u (global.get $heap) (i32.mul (memory.size) (i32.const 65536))))
      (drop (memory.grow (i32.add (i32.shr_u (i32.sub (global.get $heap) (i32.mul (memory.size) (i32.const 65536))) (i32.const 16)) (i32.const 1)))))
    (local.get $p))

  ;; ---- output ----
  (func $print (param $p i32) (param $n i32)
    (local $k i32)
    (if (i32.eqz (global.get $stdout)) (then (global.set $stdout (call $get_stdout))))
    ;; At most 4096 bytes per blocking-write-and-flush.
    (block $done
      (loop $more
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $k (select (i32.const 4096) (local.get $n) (i32.gt_u (local.get $n) (i32.const 4096))))
        (call $blocking_write_and_flush (global.get $stdout) (local.get $p) (local.get $k) (i32.const 0))
        (if (i32.load8_u (i32.const 0)) (then unreachable))
        (local.set $p (i32.add (local.get $p) (local.get $k)))
        (local.set $n (i32.sub (local.get $n) (local.get $k)))
        (br $more))))
  (func $nl (call $print S"\n"))
  (func $println (param i32 i32) (call $print (local.get 0) (local.get 1)) (call $nl))
  ;; Decimal digits of an unsigned 64-bit number.
  (func $print_u64 (param $v i64)
    (local $at i32)
    (local.set $at (i32.const 1024))
    (loop $digit
      (local.set $at (i32.sub (local.get $at) (i32.const 1)))
      (i64.store8 (local.get $at) (i64.add (i64.const 48) (i64.rem_u (local.get $v) (i64.const 10))))
      (local.set $v (i64.div_u (local.get $v) (i64.const 10)))
      (br_if $digit (i64.ne (local.get $v) (i64.const 0))))
    (call $print (local.get $at) (i32.sub (i32.const 1024) (local.get $at))))
  (func $say_num (param $p i32) (param $n i32) (param $v i64)
    (call $print (local.get $p) (local.get $n))
    (call $print_u64 (local.get $v))
    (call $nl))
  (func $streq (param $a i32) (param $an i32) (param $b i32) (param $bn i32) (result i32)
    (if (i32.ne (local.get $an) (local.get $bn)) (then (return (i32.const 0))))
    (block $diff
      (loop $next
        (if (i32.eqz (local.get $an)) (then (return (i32.const 1))))
        (br_if $diff (i32.ne (i32.load8_u (local.get $a)) (i32.load8_u (local.get $b))))
        (local.set $a (i32.add (local.get $a) (i32.const 1)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (local.set $an (i32.sub (local.get $an) (i32.const 1)))
        (br $next)))
    (i32.const 0))
  ;; Print "label: ok" or "label: error N" for a result<_, error-code> at 64.
  (func $report (param $p i32) (param $n i32)
    (call $print (local.get $p) (local.get $n))
    (if (i32.load8_u (i32.const 64))
      (then (call $say_num S": error " (i64.load8_u (i32.const 65))))
      (else (call $println S": ok"))))
  ;; The same for a result<own<…>, error-code> at 64; returns the handle (0 on error).
  (func $report_handle (param $p i32) (param $n i32) (result i32)
    (call $print (local.get $p) (local.get $n))
    (if (i32.load8_u (i32.const 64))
      (then (call $say_num S": error " (i64.load8_u (i32.const 68))) (return (i32.const 0))))
    (call $println S": ok")
    (i32.load (i32.const 68)))

  ;; The same for a result at 64 whose payload (and error code) is at 64 + $at.
  (func $report_at (param $p i32) (param $n i32) (param $at i32)
    (call $print (local.get $p) (local.get $n))
    (if (i32.load8_u (i32.const 64))
      (then (call $say_num S": error " (i64.load8_u (i32.add (i32.const 64) (local.get $at)))))
      (else (call $println S": ok"))))

  ;; ---- commands ----
  (func $hello (call $print S"hello from WASI 0.2\n"))

  (func $args
    (local $list i32) (local $n i32) (local $i i32)
    (call $get_arguments (i32.const 128))
    (local.set $list (i32.load (i32.const 128)))
    (local.set $n (i32.load (i32.const 132)))
    (call $say_num S"arguments after the first: " (i64.extend_i32_u (i32.sub (local.get $n) (i32.const 1))))
    (local.set $i (i32.const 1))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (call $print S"[")
      (call $print (i32.load (i32.add (local.get $list) (i32.mul (local.get $i) (i32.const 8))))
                   (i32.load (i32.add (local.get $list) (i32.add (i32.mul (local.get $i) (i32.const 8)) (i32.const 4)))))
      (call $println S"]")
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next))))

  (func $env
    (local $list i32) (local $n i32) (local $e i32)
    (call $get_environment (i32.const 128))
    (local.set $list (i32.load (i32.const 128)))
    (local.set $n (i32.load (i32.const 132)))
    (call $say_num S"variables: " (i64.extend_i32_u (local.get $n)))
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $n)))
      (local.set $e (local.get $list))
      (call $print (i32.load (local.get $e)) (i32.load offset=4 (local.get $e)))
      (call $print S"=")
      (call $println (i32.load offset=8 (local.get $e)) (i32.load offset=12 (local.get $e)))
      (local.set $list (i32.add (local.get $list) (i32.const 16)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $next))))

  (func $exit_err
    (call $println S"exiting with an error")
    (call $exit (i32.const 1))
    (call $println S"still running after exit"))

  (func $clocks
    (local $t0 i64) (local $p i32) (local $far i32)
    (local.set $t0 (call $mono_now))
    (local.set $p (call $subscribe_duration (i64.const 20000000)))
    (call $block (local.get $p))
    (call $drop_pollable (local.get $p))
    (if (i64.ge_u (i64.sub (call $mono_now) (local.get $t0)) (i64.const 20000000))
      (then (call $println S"monotonic: waited at least 20 ms"))
      (else (call $println S"monotonic: woke too early")))
    (local.set $far (call $subscribe_duration (i64.const 60000000000)))
    (call $say_num S"far deadline ready: " (i64.extend_i32_u (call $ready (local.get $far))))
    (call $drop_pollable (local.get $far))
    (if (i64.gt_u (call $mono_resolution) (i64.const 0))
      (then (call $println S"monotonic resolution: positive")))
    (call $wall_now (i32.const 128))
    ;; 2020-01-01 < now < 2100-01-01, nanoseconds below one second.
    (if (i32.and (i32.and (i64.gt_u (i64.load (i32.const 128)) (i64.const 1577836800))
                          (i64.lt_u (i64.load (i32.const 128)) (i64.const 4102444800)))
                 (i32.lt_u (i32.load (i32.const 136)) (i32.const 1000000000)))
      (then (call $println S"wall clock: plausible"))
      (else (call $println S"wall clock: implausible"))))

  (func $random
    (local $a i64)
    (call $random_bytes (i64.const 32) (i32.const 128))
    (call $say_num S"random bytes: " (i64.load32_u (i32.const 132)))
    (call $insecure_bytes (i64.const 7) (i32.const 128))
    (call $say_num S"insecure random bytes: " (i64.load32_u (i32.const 132)))
    (local.set $a (call $random_u64))
    (if (i64.ne (local.get $a) (call $random_u64))
      (then (call $println S"random u64: two draws differ")))
    (call $insecure_seed (i32.const 128))
    (if (i64.ne (i64.load (i32.const 128)) (i64.load (i32.const 136)))
      (then (call $println S"insecure seed: two halves differ"))))

  ;; Open `path` under `dir` (open flags, descriptor flags); result at 64.
  (func $open (param $dir i32) (param $p i32) (param $n i32) (param $oflags i32) (param $flags i32) (result i32)
    (call $open_at (local.get $dir) (i32.const 0) (local.get $p) (local.get $n) (local.get $oflags) (local.get $flags) (i32.const 64))
    (call $print S"open ")
    (call $report_handle (local.get $p) (local.get $n)))

  (func $files
    (local $dir i32) (local $f i32) (local $s i32) (local $sub i32) (local $list i32)
    (call $get_directories (i32.const 128))
    (call $say_num S"preopens: " (i64.load32_u (i32.const 132)))
    (local.set $list (i32.load (i32.const 128)))
    (call $print S"preopen name: ")
    (call $println (i32.load offset=4 (local.get $list)) (i32.load offset=8 (local.get $list)))
    (local.set $dir (i32.load (local.get $list)))
    ;; create + truncate, read|write
    (local.set $f (call $open (local.get $dir) S"out.txt" (i32.const 9) (i32.const 3)))
    (call $fwrite (local.get $f) S"first line\n" (i64.const 0) (i32.const 64))
    (call $say_num S"write returned: " (i64.load (i32.const 72)))
    (call $write_via_stream (local.get $f) (i64.const 11) (i32.const 64))
    (local.set $s (i32.load (i32.const 68)))
    (call $blocking_write_and_flush (local.get $s) S"second line\n" (i32.const 64))
    (call $drop_output (local.get $s))
    (call $fread (local.get $f) (i64.const 1000) (i64.const 0) (i32.const 64))
    (call $print S"read back: ")
    (call $print (i32.load (i32.const 68)) (i32.load (i32.const 72)))
    (call $say_num S"end of file: " (i64.load8_u (i32.const 76)))
    (call $stat (local.get $f) (i32.const 128))
    (call $say_num S"stat type: " (i64.load8_u (i32.const 136)))
    (call $say_num S"stat size: " (i64.load (i32.const 152)))
    (call $say_num S"stat links: " (i64.load (i32.const 144)))
    (call $say_num S"modification time present: " (i64.load8_u (i32.const 184)))
    ;; a directory and a file in it
    (call $mkdir_at (local.get $dir) S"sub" (i32.const 64))
    (call $report S"mkdir sub")
    (call $mkdir_at (local.get $dir) S"sub" (i32.const 64))
    (call $report S"mkdir sub again")
    (call $drop_descriptor (call $open (local.get $dir) S"sub/inner.txt" (i32.const 1) (i32.const 2)))
    (call $stat_at (local.get $dir) (i32.const 0) S"sub/inner.txt" (i32.const 128))
    (call $say_num S"stat-at size: " (i64.load (i32.const 152)))
    (local.set $sub (call $open (local.get $dir) S"sub" (i32.const 2) (i32.const 33)))
    (call $get_type (local.get $sub) (i32.const 64))
    (call $say_num S"sub type: " (i64.load8_u (i32.const 65)))
    (call $list_dir (local.get $sub))
    (call $rmdir_at (local.get $dir) S"sub" (i32.const 64))
    (call $report S"rmdir non-empty sub")
    (call $rename_at (local.get $sub) S"inner.txt" (local.get $dir) S"moved.txt" (i32.const 64))
    (call $report S"rename sub/inner.txt to moved.txt")
    (call $drop_descriptor (local.get $sub))
    (call $rmdir_at (local.get $dir) S"sub" (i32.const 64))
    (call $report S"rmdir empty sub")
    ;; symlinks
    (call $symlink_at (local.get $dir) S"out.txt" S"link" (i32.const 64))
    (call $report S"symlink link -> out.txt")
    (call $readlink_at (local.get $dir) S"link" (i32.const 64))
    (call $print S"readlink: ")
    (call $println (i32.load (i32.const 68)) (i32.load (i32.const 72)))
    (drop (call $open (local.get $dir) S"link" (i32.const 0) (i32.const 1)))
    ;; path-flags symlink-follow
    (call $open_at (local.get $dir) (i32.const 1) S"link" (i32.const 0) (i32.const 1) (i32.const 64))
    (local.set $s (call $report_handle S"open link, following it"))
    (call $say_num S"link opens out.txt itself: " (i64.extend_i32_u (call $is_same_object (local.get $s) (local.get $f))))
    (call $drop_descriptor (local.get $s))
    ;; the sandbox
    (drop (call $open (local.get $dir) S"../outside.txt" (i32.const 1) (i32.const 2)))
    (drop (call $open (local.get $dir) S"/etc/passwd" (i32.const 0) (i32.const 1)))
    (drop (call $open (local.get $dir) S"missing.txt" (i32.const 0) (i32.const 1)))
    (call $unlink_at (local.get $dir) S"link" (i32.const 64))
    (call $report S"unlink link")
    (call $unlink_at (local.get $dir) S"moved.txt" (i32.const 64))
    (call $report S"unlink moved.txt")
    (call $drop_descriptor (local.get $f))
    (call $drop_descriptor (local.get $dir)))

  ;; Print "label: N" for the descriptor-flags of `d`, or the error.
  (func $flags (param $p i32) (param $n i32) (param $d i32)
    (call $get_flags (local.get $d) (i32.const 64))
    (call $print (local.get $p) (local.get $n))
    (if (i32.load8_u (i32.const 64))
      (then (call $say_num S" flags: error " (i64.load8_u (i32.const 65))))
      (else (call $say_num S" flags: " (i64.load8_u (i32.const 65))))))

  ;; What the descriptor-flags of open-at do and do not decide: how the
  ;; host opens the file (get-flags, and what reads and writes do), not
  ;; what may be changed beneath a directory, which comes from the preopen.
  (func $fsflags
    (local $dir i32) (local $f i32) (local $d i32) (local $s i32)
    (call $get_directories (i32.const 128))
    (local.set $dir (i32.load (i32.load (i32.const 128))))
    (call $flags S"preopen" (local.get $dir))
    ;; create + truncate, write only
    (local.set $f (call $open (local.get $dir) S"f.txt" (i32.const 9) (i32.const 2)))
    (call $flags S"write-only file" (local.get $f))
    (call $fwrite (local.get $f) S"data\n" (i64.const 0) (i32.const 64))
    (call $report_at S"write" (i32.const 8))
    (call $fread (local.get $f) (i64.const 10) (i64.const 0) (i32.const 64))
    (call $report_at S"read" (i32.const 4))
    (call $read_via_stream (local.get $f) (i64.const 0) (i32.const 64))
    (local.set $s (call $report_handle S"read-via-stream"))
    (call $blocking_read (local.get $s) (i64.const 10) (i32.const 64))
    (call $print S"stream read: ")
    (if (i32.load8_u (i32.const 64))
      (then
        ;; stream-error: last-operation-failed(error) or closed
        (if (i32.load8_u (i32.const 68))
          (then (call $println S"closed"))
          (else
            (call $filesystem_error_code (i32.load (i32.const 72)) (i32.const 96))
            (call $say_num S"failed, error-code " (i64.load8_u (i32.const 97))))))
      (else (call $println S"ok")))
    (call $drop_input (local.get $s))
    (call $drop_descriptor (local.get $f))
    ;; neither read nor write: opened for reading
    (local.set $f (call $open (local.get $dir) S"f.txt" (i32.const 0) (i32.const 0)))
    (call $flags S"no-flags file" (local.get $f))
    (call $fread (local.get $f) (i64.const 10) (i64.const 0) (i32.const 64))
    (call $report_at S"read" (i32.const 4))
    (call $fwrite (local.get $f) S"x" (i64.const 0) (i32.const 64))
    (call $report_at S"write" (i32.const 8))
    (call $set_size (local.get $f) (i64.const 0) (i32.const 64))
    (call $report S"set-size")
    (call $write_via_stream (local.get $f) (i64.const 0) (i32.const 64))
    (call $drop_output (call $report_handle S"write-via-stream"))
    (call $drop_descriptor (local.get $f))
    ;; truncate opens for writing too
    (local.set $f (call $open (local.get $dir) S"f.txt" (i32.const 8) (i32.const 1)))
    (call $flags S"read + truncate file" (local.get $f))
    (call $drop_descriptor (local.get $f))
    ;; refused before the host is asked
    (drop (call $open (local.get $dir) S"f.txt" (i32.const 0) (i32.const 5)))
    (drop (call $open (local.get $dir) S"f.txt" (i32.const 0) (i32.const 17)))
    (drop (call $open (local.get $dir) S"f.txt" (i32.const 3) (i32.const 1)))
    (drop (call $open (local.get $dir) S"missing" (i32.const 2) (i32.const 3)))
    (drop (call $open (local.get $dir) S"f.txt" (i32.const 2) (i32.const 1)))
    ;; a directory opened for reading only still lets things change
    (call $mkdir_at (local.get $dir) S"d" (i32.const 64))
    (call $report S"mkdir d")
    (local.set $d (call $open (local.get $dir) S"d" (i32.const 2) (i32.const 1)))
    (call $flags S"read-only directory" (local.get $d))
    (call $mkdir_at (local.get $d) S"inner" (i32.const 64))
    (call $report S"mkdir beneath it")
    (call $drop_descriptor (call $open (local.get $d) S"new.txt" (i32.const 1) (i32.const 2)))
    (call $rename_at (local.get $d) S"new.txt" (local.get $d) S"renamed.txt" (i32.const 64))
    (call $report S"rename beneath it")
    (call $unlink_at (local.get $d) S"renamed.txt" (i32.const 64))
    (call $report S"unlink beneath it")
    (call $rmdir_at (local.get $d) S"inner" (i32.const 64))
    (call $report S"rmdir beneath it")
    ;; file methods on a directory
    (call $read_via_stream (local.get $d) (i64.const 0) (i32.const 64))
    (call $report_at S"read-via-stream of it" (i32.const 4))
    (call $write_via_stream (local.get $d) (i64.const 0) (i32.const 64))
    (call $report_at S"write-via-stream of it" (i32.const 4))
    (call $fread (local.get $d) (i64.const 1) (i64.const 0) (i32.const 64))
    (call $report_at S"read of it" (i32.const 4))
    (call $set_size (local.get $d) (i64.const 0) (i32.const 64))
    (call $report S"set-size of it")
    (call $advise (local.get $d) (i64.const 0) (i64.const 0) (i32.const 0) (i32.const 64))
    (call $report S"advise of it")
    (call $drop_descriptor (local.get $d))
    (local.set $d (call $open (local.get $dir) S"d" (i32.const 2) (i32.const 33)))
    (call $flags S"read + mutate-directory directory" (local.get $d))
    (call $drop_descriptor (local.get $d))
    (call $rmdir_at (local.get $dir) S"d" (i32.const 64))
    (call $report S"rmdir d")
    (call $unlink_at (local.get $dir) S"f.txt" (i32.const 64))
    (call $report S"unlink f.txt")
    (call $drop_descriptor (local.get $dir)))

  ;; Print the entries of a directory (the case keeps it to one entry,
  ;; as directory order is the file system's).
  (func $list_dir (param $d i32)
    (local $stream i32)
    (call $read_directory (local.get $d) (i32.const 64))
    (local.set $stream (call $report_handle S"read-directory"))
    (block $done (loop $next
      (call $read_directory_entry (local.get $stream) (i32.const 64))
      (br_if $done (i32.load8_u (i32.const 64)))
      (br_if $done (i32.eqz (i32.load8_u (i32.const 68))))
      (call $print S"entry: ")
      (call $print (i32.load (i32.const 76)) (i32.load (i32.const 80)))
      (call $say_num S" type " (i64.load8_u (i32.const 72)))
      (br $next)))
    (call $drop_dir_stream (local.get $stream)))

  (func $stdin
    (local $in i32) (local $total i64)
    (local.set $in (call $get_stdin))
    (block $done (loop $next
      (call $blocking_read (local.get $in) (i64.const 7) (i32.const 64))
      (br_if $done (i32.load8_u (i32.const 64)))
      (local.set $total (i64.add (local.get $total) (i64.load32_u (i32.const 72))))
      (call $print (i32.load (i32.const 68)) (i32.load (i32.const 72)))
      (br $next)))
    (call $say_num S"stream closed after bytes: " (local.get $total))
    (call $say_num S"closed (not failed): " (i64.load8_u (i32.const 68)))
    (call $drop_input (local.get $in)))

  (func $poll_cmd
    (local $in i32) (local $p i32) (local $t i32)
    (local.set $in (call $get_stdin))
    (local.set $p (call $input_subscribe (local.get $in)))
    (local.set $t (call $subscribe_duration (i64.const 10000000000)))
    (i32.store (i32.const 256) (local.get $t))
    (i32.store (i32.const 260) (local.get $p))
    (call $poll (i32.const 256) (i32.const 2) (i32.const 128))
    (call $say_num S"ready count: " (i64.load32_u (i32.const 132)))
    (call $say_num S"first ready index: " (i64.load32_u (i32.load (i32.const 128))))
    (call $drop_pollable (local.get $p))
    (call $drop_pollable (local.get $t))
    (call $drop_input (local.get $in))
    (call $println S"dropped"))

  (func $bad_handle
    (call $println S"writing to handle 99")
    (call $blocking_write_and_flush (i32.const 99) S"x" (i32.const 64))
    (call $println S"not reached"))

  (func $drop_parent
    (local $out i32) (local $p i32)
    (local.set $out (call $get_stdout))
    (local.set $p (call $output_subscribe (local.get $out)))
    (call $println S"dropping a stream whose pollable is alive")
    (call $drop_output (local.get $out))
    (call $println S"not reached"))

@SOCKET_FUNCS@
  (func $main (export "_start")
    (local $list i32) (local $n i32) (local $cmd i32) (local $len i32)
    (call $get_arguments (i32.const 128))
    (local.set $list (i32.load (i32.const 128)))
    (local.set $n (i32.load (i32.const 132)))
    (if (i32.lt_u (local.get $n) (i32.const 2))
      (then (call $println S"usage: wasi2 COMMAND") (call $exit (i32.const 1))))
    (local.set $cmd (i32.load offset=8 (local.get $list)))
    (local.set $len (i32.load offset=12 (local.get $list)))
    (if (call $streq (local.get $cmd) (local.get $len) S"hello") (then (call $hello) (return)))
    (if (call $streq (local.get $cmd) (local.get $len) S"args") (then (call $args) (return)))
    (if (call $streq (local.get $cmd) (local.get $len) S"env") (then (call $env) (return)))
    (if (call $streq (local.get $cmd) (local.get $len) S"exit") (then (call $exit_err) (return)))
    (if (call $streq (local.get $cmd) (local.get $len) S"clocks") (then (call $clocks) (return)))
    (if (call $streq (local.get $cmd) (local.get $len) S"random") (then (call $random) (return)))
    (if (call $streq (local.get $cmd) (local.get $len) S"files") (then (call $files) (return)))
    (if (call $streq (local.get $cmd) (local.get $len) S"fsflags") (then (call $fsflags) (return)))
    (if (call $streq (local.get $cmd) (local.get $len) S"stdin") (then (call $stdin) (return)))
    (if (call $streq (local.get $cmd) (local.get $len) S"poll") (then (call $poll_cmd) (return)))
    (if (call $streq (local.get $cmd) (local.get $len) S"bad-handle") (then (call $bad_handle) (return)))
    (if (call $streq (local.get $cmd) (local.get $len) S"drop-parent") (then (call $drop_parent) (return)))
@SOCKET_DISPATCH@
    (call $println S"unknown command")
    (call $exit (i32.const 1)))

  ;; The command world's export, for running the module as a component.
  (func (export "wasi:cli/run@0.2.12#run") (result i32) (call $main) (i32.const 0))
'''


def escape(b):
    return "".join(chr(c) if 32 <= c < 127 and c not in (34, 92) else "\\%02x" % c for c in b)


def main():
    strings = {}
    data = bytearray()

    def place(m):
        text = m.group(1).encode().decode("unicode_escape").encode()
        if text not in strings:
            strings[text] = STRINGS_AT + len(data)
            data.extend(text)
        return "(i32.const %d) (i32.const %d)" % (strings[text], len(text))

    template = (TEMPLATE.replace("@SOCKET_IMPORTS@", sockets.IMPORTS.strip("\n"))
                .replace("@SOCKET_FUNCS@", sockets.FUNCS.strip("\n") + "\n")
                .replace("@SOCKET_DISPATCH@", sockets.DISPATCH.strip("\n")))
    body = re.sub(r'S"((?:[^"\\]|\\.)*)"', place, template)
    assert len(data) < 65536 - STRINGS_AT
    out = (";; Generated by gen.py from its template: edit that and run it.\n"
           + body.strip("\n") + '\n  (data (i32.const %d) "%s"))\n' % (STRINGS_AT, escape(data)))
    with open(os.path.join(HERE, "wasi2.wat"), "w") as f:
        f.write(out)


main()
