#!/bin/sh
# Rebuild every checked-in tests/wasi/*.wasm from its C source, and the C
# examples (examples/*/build.sh).
#
# Toolchain (see docs/toolchain.md): Debian clang-14 with wasi-libc
# and libclang-rt-14-dev-wasm32. Reproducible whether or not binaryen is
# installed: compile with -O2 -c, then link WITHOUT -O (clang runs wasm-opt
# only when an optimisation level is given at link time).
# -Wl,--strip-debug drops DWARF but keeps the name section, so trap messages
# name functions (a plain -s would strip the names too).
#
#   tests/wasi/build.sh           rebuild tests/wasi/*.wasm and the examples
#   tests/wasi/build.sh files     rebuild only tests/wasi/files.wasm
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

build() {
    clang-14 --target=wasm32-wasi -O2 -Wall -Werror -c "$here/$1.c" -o "$tmp/$1.o"
    clang-14 --target=wasm32-wasi -Wl,--strip-debug "$tmp/$1.o" -o "$here/$1.wasm"
    echo "built tests/wasi/$1.wasm"
}

if [ $# -gt 0 ]; then
    for p in "$@"; do build "$p"; done
    exit 0
fi
for c in "$here"/*.c; do
    build "$(basename "$c" .c)"
done
for script in "$here"/../../examples/*/build.sh; do
    sh "$script"
    echo "ran ${script#$here/../../}"
done
