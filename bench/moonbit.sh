#!/usr/bin/env bash
# bench/moonbit.sh [--no-download]: a MoonBit program compiled to Wasm GC
# (bench/moonbit/binary_trees.mbt: binary trees of depth 16, 2.2 M nodes per
# round; see bench/fetch-moonbit.sh) as wasmlink's executable against
# `wasmtime run -W gc=y` (the module precompiled with `wasmtime compile`)
# and Node (WebAssembly GC in V8, print_char as a JS function), runs
# interleaved, reporting min and median CPU (user + sys) per engine after
# checking that all three print the same thing.
#
# Environment: BENCH_OUT (default target/bench; uses $BENCH_OUT/moonbit),
# BENCH_CACHE (default ~/.cache/wasmlink-bench), BENCH_RUNS (11), WASMLINK
# (default target/release/wasmlink, built if missing), WASMTIME, NODE
# (default: .ci/reference-node.sh's Node 24).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${BENCH_OUT:-$ROOT/target/bench}/moonbit
CACHE=${BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/wasmlink-bench}
RUNS=${BENCH_RUNS:-11}
DOWNLOAD=1
[ "${1:-}" = --no-download ] && DOWNLOAD=0
WASM=$("$ROOT/bench/fetch-moonbit.sh" "$CACHE" "$DOWNLOAD") || {
    echo "MoonBit: skipped (not in $CACHE and not built)"
    exit 0
}
. "$ROOT/bench/lib.sh"
W=$(wasmlink_binary "$ROOT")
WT=$(real_wasmtime "${WASMTIME:-}")
[ -n "$WT" ] || { echo "bench/moonbit.sh needs wasmtime" >&2; exit 1; }
NODE=${NODE:-$("$ROOT/.ci/reference-node.sh" 2>/dev/null || true)}
mkdir -p "$OUT"
cd "$OUT"
cp "$WASM" binary_trees.wasm
cp "$ROOT/bench/moonbit/spectest.wat" spectest.wat
wasm-tools parse spectest.wat -o spectest.wasm
cat >app.json <<'JSON'
{ "sources": { "main": "binary_trees.wasm", "spectest": "spectest.wat" }, "entry": "main" }
JSON
"$W" build -q app.json -o app
"$WT" compile -W gc=y,function-references=y,exceptions=y binary_trees.wasm -o binary_trees.cwasm
"$WT" compile -W gc=y,function-references=y,exceptions=y spectest.wasm -o spectest.cwasm
cat >run.mjs <<'JS'
import fs from 'fs';
let out = [], high = 0;
const put = (cp) => out.push(String.fromCodePoint(cp));
const print_char = (c) => {
  c &= 0xffff;
  if (high) { if ((c & 0xfc00) === 0xdc00) { put(0x10000 + ((high - 0xd800) << 10 | (c - 0xdc00))); high = 0; return; } put(0xfffd); high = 0; }
  if ((c & 0xfc00) === 0xd800) { high = c; return; }
  put((c & 0xfc00) === 0xdc00 ? 0xfffd : c);
  if (c === 10) { process.stdout.write(out.join('')); out = []; }
};
const { instance } = await WebAssembly.instantiate(fs.readFileSync(process.argv[2]), { spectest: { print_char } });
instance.exports._start();
process.stdout.write(out.join(''));
JS
engines=(wasmlink wasmtime)
cmd_wasmlink=(./app)
cmd_wasmtime=("$WT" run --allow-precompiled -W gc=y,function-references=y,exceptions=y --preload spectest=spectest.cwasm binary_trees.cwasm)
cmd_node=()
if [ -n "$NODE" ] && [ -x "$NODE" ]; then engines+=(node); cmd_node=("$NODE" run.mjs binary_trees.wasm); fi
run() { local -n c="cmd_$1"; "${c[@]}"; }
run wasmlink >expected.out
for e in "${engines[@]}"; do
    run "$e" >"$e.out"
    cmp -s expected.out "$e.out" || { echo "$e prints something else than wasmlink's executable" >&2; exit 1; }
done
: >times.txt
for ((i = 0; i < RUNS; i++)); do
    for e in "${engines[@]}"; do
        /usr/bin/time -f "$e %U %S" -a -o times.txt bash -c "$(declare -f run); $(declare -p cmd_$e); run $e >/dev/null"
    done
done
echo "MoonBit binary_trees.wasm ($(stat -c %s binary_trees.wasm) bytes), $RUNS interleaved runs, CPU = user + sys (s):"
python3 - times.txt "${engines[@]}" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
for e in sys.argv[2:]:
    cpu = sorted(float(u) + float(s) for n, u, s in rows if n == e)
    print(f"  {e:9} min {cpu[0]:.3f}  median {statistics.median(cpu):.3f}")
PY
