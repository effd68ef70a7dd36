#!/bin/sh
# The WASI-resource test's components (tests/components/build-pair.sh), with
# the WASI 0.2 WIT of the `wasip2` crate the workspace pins
# (crates/wasmlink-abi's dev-dependency), found with `cargo metadata`.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
wasi=$(cargo metadata --format-version 1 --manifest-path "$here/../../../crates/wasmlink-abi/Cargo.toml" 2>/dev/null |
  python3 -c 'import json,sys,os; m=json.load(sys.stdin); p=[p for p in m["packages"] if p["name"]=="wasip2"][0]; print(os.path.join(os.path.dirname(p["manifest_path"]),"wit"))')
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/wit/deps"
cp "$here/log.wit" "$tmp/wit/"
for f in "$wasi"/deps/*.wit; do
  case $f in */http.wit) continue ;; esac
  cp "$f" "$tmp/wit/deps/"
done
"$here/../build-pair.sh" "$here" "$tmp/wit"
