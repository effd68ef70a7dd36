#!/bin/sh
# Rebuild bench.wasm (and bench-simd.wasm) from bench.c (clang-14 + Debian wasi-libc, see
# docs/toolchain.md). Reproducible: -O2 -c, then link without -O so clang does not
# run binaryen's wasm-opt. --strip-debug keeps the name section.
# With `native` as argument, also build ./bench-native with the host cc.
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
clang-14 --target=wasm32-wasi -O2 -Wall -c bench.c -o "$tmp/bench.o"
clang-14 --target=wasm32-wasi -Wl,--strip-debug "$tmp/bench.o" -o bench.wasm
# The same with 128-bit SIMD (clang auto-vectorises the loops): exercises the
# v128 instructions. (-s cannot be combined with -msimd128, see docs/toolchain.md.)
clang-14 --target=wasm32-wasi -O2 -msimd128 -Wall -c bench.c -o "$tmp/bench-simd.o"
clang-14 --target=wasm32-wasi -Wl,--strip-debug "$tmp/bench-simd.o" -o bench-simd.wasm
if [ "${1:-}" = native ]; then
    cc -O2 -Wall bench.c -o bench-native -lm
fi
