#!/bin/sh
# Build the components of bench/components from C, as
# tests/components/compose/build.sh does: bindings from wit/bench.wit with
# wit-bindgen (C generator), clang-14 -O2 for wasm32-wasi, `wasm-tools
# component new` with the official preview1 adapter (command for `app`,
# reactor for `lib`), and `wasm-tools compose` for wasmtime. The outputs
# are checked in, so bench/components.sh runs without wit-bindgen:
#   app.component.wasm    the caller (UTF-8 strings)
#   lib.component.wasm    process() with UTF-8 strings
#   lib16.component.wasm  process() with UTF-16 strings (the adapter transcodes)
#   composed.wasm, composed16.wasm   app + lib, app + lib16 (wasm-tools compose)
#   one.wasm              native.c -DCOPY as one core module (no component boundary)
#
# Needs: clang-14 + wasi-libc (docs/toolchain.md), wasm-tools 1.262,
# wit-bindgen 0.63.0, the adapter in the cargo registry
# (tests/wasi/build-components.sh fetches it).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
adapters=$(dirname "$(ls "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/wasi-preview1-component-adapter-provider-50.0.1/artefacts/wasi_snapshot_preview1.command.wasm | head -1)")

wit-bindgen c "$here/wit" --world lib --out-dir "$tmp/lib" >/dev/null
wit-bindgen c "$here/wit" --world lib --string-encoding utf16 --out-dir "$tmp/lib16" >/dev/null
wit-bindgen c "$here/wit" --world app --out-dir "$tmp/app" >/dev/null

for l in lib lib16; do
    clang-14 --target=wasm32-wasi -O2 -s -mexec-model=reactor -I"$tmp/$l" \
        "$here/lib.c" "$tmp/$l/lib.c" "$tmp/$l/lib_component_type.o" -o "$tmp/$l.wasm"
    wasm-tools component new "$tmp/$l.wasm" \
        --adapt "wasi_snapshot_preview1=$adapters/wasi_snapshot_preview1.reactor.wasm" \
        -o "$here/$l.component.wasm"
done
clang-14 --target=wasm32-wasi -O2 -s -I"$tmp/app" \
    "$here/app.c" "$tmp/app/app.c" "$tmp/app/app_component_type.o" -o "$tmp/app.wasm"
wasm-tools component new "$tmp/app.wasm" \
    --adapt "wasi_snapshot_preview1=$adapters/wasi_snapshot_preview1.command.wasm" \
    -o "$here/app.component.wasm"
# compose names a dependency after its file, which must be kebab case
mkdir "$tmp/dep"
cp "$here/lib.component.wasm" "$tmp/dep/lib.wasm"
wasm-tools compose "$here/app.component.wasm" -d "$tmp/dep/lib.wasm" -o "$here/composed.wasm" 2>/dev/null
cp "$here/lib16.component.wasm" "$tmp/dep/lib.wasm"
wasm-tools compose "$here/app.component.wasm" -d "$tmp/dep/lib.wasm" -o "$here/composed16.wasm" 2>/dev/null

clang-14 --target=wasm32-wasi -O2 -s -DCOPY "$here/native.c" "$here/native-lib.c" -o "$here/one.wasm"
echo "built app, lib, lib16 components, composed.wasm, composed16.wasm and one.wasm in $here"
