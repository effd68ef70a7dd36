#!/bin/sh
# Build the two components of the WASI-resource test from C, as
# tests/components/compose/build.sh does; the WASI WIT is the one of the
# `wasip2` crate the workspace pins (crates/wasmlink-abi's dev-dependency),
# found with `cargo metadata`. Outputs (checked in): lib.component.wasm,
# app.component.wasm, composed.wasm.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
adapters=$(dirname "$(ls "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/wasi-preview1-component-adapter-provider-50.0.1/artefacts/wasi_snapshot_preview1.command.wasm | head -1)")
wasi=$(cargo metadata --format-version 1 --manifest-path "$here/../../../crates/wasmlink-abi/Cargo.toml" 2>/dev/null |
  python3 -c 'import json,sys,os; m=json.load(sys.stdin); p=[p for p in m["packages"] if p["name"]=="wasip2"][0]; print(os.path.join(os.path.dirname(p["manifest_path"]),"wit"))')
mkdir -p "$tmp/wit/deps"
cp "$here/log.wit" "$tmp/wit/"
for f in "$wasi"/deps/*.wit; do
  case $f in */http.wit) continue ;; esac
  cp "$f" "$tmp/wit/deps/"
done

wit-bindgen c "$tmp/wit" --world lib --out-dir "$tmp/lib" >/dev/null
wit-bindgen c "$tmp/wit" --world app --out-dir "$tmp/app" >/dev/null
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
mkdir "$tmp/dep" && cp "$here/lib.component.wasm" "$tmp/dep/lib.wasm"
wasm-tools compose "$here/app.component.wasm" -d "$tmp/dep/lib.wasm" \
    -o "$here/composed.wasm" 2>/dev/null
echo "built lib.component.wasm app.component.wasm composed.wasm in $here"
