#!/bin/sh
# Rebuild wc.wasm from wc.c (clang-14 + Debian wasi-libc, see docs/toolchain.md).
# Reproducible: compile with -O2 -c, link without -O so clang does not run
# binaryen's wasm-opt (whether or not binaryen is installed).
# --strip-debug drops DWARF but keeps the name section (function names in
# trap messages).
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
clang-14 --target=wasm32-wasi -O2 -Wall -c wc.c -o "$tmp/wc.o"
clang-14 --target=wasm32-wasi -Wl,--strip-debug "$tmp/wc.o" -o wc.wasm
# Native build for comparison (not checked in): cc -O2 wc.c -o /tmp/wc-native
