#!/bin/sh
# Rebuild fib.wasm from fib.c (clang-14 + Debian wasi-libc, see
# docs/toolchain.md), as examples/bench/build.sh builds bench.wasm.
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
clang-14 --target=wasm32-wasi -O2 -Wall -c fib.c -o "$tmp/fib.o"
clang-14 --target=wasm32-wasi -Wl,--strip-debug "$tmp/fib.o" -o fib.wasm
