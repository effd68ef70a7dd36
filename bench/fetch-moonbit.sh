#!/usr/bin/env bash
# bench/fetch-moonbit.sh CACHE DOWNLOAD: print the path of a MoonBit program
# compiled to Wasm GC (bench/moonbit/binary_trees.mbt), building it into
# CACHE/moonbit first when DOWNLOAD is 1 and it is not there. Exits 1
# (printing nothing) when it is neither cached nor built.
#
# The compiler is the MoonBit compiler of the npm package
# @moonbit/moonpad-monaco@0.1.202602255 (dist/moonc-worker.js, sha256 of the
# tarball pinned below), run under Node; the same package embeds the sources
# of moonbitlang/core, which bench/moonbit/build-core.mjs compiles for the
# wasm-gc target. The program imports only spectest.print_char (one UTF-16
# code unit per call), which bench/moonbit/spectest.wat implements with
# fd_write.
set -euo pipefail
CACHE=$1
DOWNLOAD=${2:-1}
SPEC=@moonbit/moonpad-monaco@0.1.202602255
SHA256=d32579642863260f2fcf4fb24586d1ea59a6bfac0626f4761db45bb7fbe2d035
HERE=$(cd "$(dirname "$0")" && pwd)
DIR=$CACHE/moonbit
WASM=$DIR/binary_trees.wasm
if [ ! -f "$WASM" ] && [ "$DOWNLOAD" = 1 ] && command -v npm >/dev/null && command -v node >/dev/null; then
    echo "downloading $SPEC into $DIR" >&2
    mkdir -p "$DIR"
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    if (cd "$tmp" && timeout 600 npm pack --silent "$SPEC" >/dev/null); then
        tgz=$(ls "$tmp"/*.tgz | head -1)
        if [ "$(sha256sum "$tgz" | cut -d' ' -f1)" != "$SHA256" ]; then
            echo "sha256 mismatch for $SPEC" >&2
            exit 1
        fi
        tar xzf "$tgz" -C "$tmp"
        node "$HERE/moonbit/extract.mjs" "$tmp/package/dist/moonpad-monaco.js" "$tmp/src" >&2
        node "$HERE/moonbit/build-core.mjs" "$tmp/src" "$tmp/core" "$tmp/package/dist/moonc-worker.js" >"$tmp/core.log" 2>&1 \
            || { cat "$tmp/core.log" >&2; exit 1; }
        node "$HERE/moonbit/compile.mjs" "$tmp/core" "$tmp/package/dist/moonc-worker.js" "$WASM.part" \
            "$HERE/moonbit/binary_trees.mbt" >&2 && mv "$WASM.part" "$WASM"
    fi
fi
[ -f "$WASM" ] || exit 1
echo "$WASM"
