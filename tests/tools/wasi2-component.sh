#!/bin/sh
# Wrap a core module that imports WASI 0.2 in lowered form (and exports
# `wasi:cli/run@0.2.12#run`) as a command component, so wasmtime can run it
# as the reference: `wasmtime run $(sh $TOOLS/wasi2-component.sh m.wat) …`.
# Prints the component's path (a temporary file). The WIT is the WASI 0.2
# WIT of the `wasip2` crate the workspace pins (crates/wasmlink-abi's
# dev-dependency), found with `cargo metadata`; nothing is vendored.
set -eu
module=$1
here=$(cd "$(dirname "$0")" && pwd)
manifest="$here/../../crates/wasmlink-abi/Cargo.toml"
wit=$(cargo metadata --format-version 1 --manifest-path "$manifest" 2>/dev/null |
  python3 -c 'import json,sys,os; m=json.load(sys.stdin); p=[p for p in m["packages"] if p["name"]=="wasip2"][0]; print(os.path.join(os.path.dirname(p["manifest_path"]),"wit"))')
work=$(mktemp -d "${TMPDIR:-/tmp}/wasi2-component.XXXXXX")
mkdir -p "$work/wit/deps"
for f in "$wit"/deps/*.wit; do
  # wasi:http is not needed by a command and pulls in more worlds.
  case $f in */http.wit) continue ;; esac
  ln -s "$f" "$work/wit/deps/"
done
printf 'package wasmlink:test;\nworld command {\n  include wasi:cli/command@0.2.12;\n}\n' > "$work/wit/world.wit"
case $module in
  *.wat) wat2wasm "$module" -o "$work/core.wasm" ;;
  *) cp "$module" "$work/core.wasm" ;;
esac
wasm-tools component embed "$work/wit" --world command "$work/core.wasm" -o "$work/embedded.wasm"
wasm-tools component new "$work/embedded.wasm" -o "$work/component.wasm"
echo "$work/component.wasm"
