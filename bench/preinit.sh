#!/usr/bin/env bash
# bench/preinit.sh: start-up with and without build-time
# pre-initialisation. bench/preinit/build.sh builds qjs.wasm: QuickJS
# 2021-03-27 (from the PyPI sdist quickjs==1.19.4) whose
# `wizer.initialize` export creates a runtime and a context and evaluates
# lodash 4.17.21 (npm; 544 KB of JavaScript) as its prelude, and whose
# `main` evaluates argv[1]. wasmlink builds it twice:
#   - plain     `wasmlink build qjs.wasm`: main() initialises at every start
#   - preinit   `wasmlink build qjs.wasm --preinit-export wizer.initialize`:
#               initialised at build time, started from the snapshot
# and wasmtime runs the precompiled module (`wasmtime compile`, `run
# --allow-precompiled`) for reference. All must print the same thing
# (checked first). Start-up is timed with `hyperfine -N`, ROUNDS rounds
# interleaved (each round: plain, preinit, wasmtime, RUNS runs each after
# 3 warm-up runs); reported: median wall time over all runs, and the mean
# user + sys time of the round means.
#
#   bench/preinit.sh [SCRIPT]      (default SCRIPT: `_.VERSION`)
#
# Needs: clang-14 with wasi-libc, pip and npm (first run: downloads into
# the cache), hyperfine, a release build of wasmlink (built if missing).
# Environment: BENCH_CACHE (default ~/.cache/wasmlink-bench/preinit),
# BENCH_OUT (default target/bench; this script uses $BENCH_OUT/preinit),
# BENCH_ROUNDS (5), BENCH_RUNS (20).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${BENCH_CACHE:-$HOME/.cache/wasmlink-bench/preinit}
OUT=${BENCH_OUT:-$ROOT/target/bench}/preinit
ROUNDS=${BENCH_ROUNDS:-5}
RUNS=${BENCH_RUNS:-20}
SCRIPT=${1:-_.VERSION}
log() { printf '%s\n' "$*" >&2; }
mkdir -p "$OUT"

. "$ROOT/bench/lib.sh"
W=$(wasmlink_binary "$ROOT")
WASM=$("$ROOT/bench/preinit/build.sh" "$CACHE")

cd "$OUT"
log "building the executables"
t0=$(date +%s.%N)
"$W" build "$WASM" -o qjs-plain
t1=$(date +%s.%N)
"$W" build "$WASM" --preinit-export wizer.initialize -o qjs-preinit
t2=$(date +%s.%N)
"$W" build "$WASM" --preinit-export wizer.initialize -o qjs-preinit-again
cmp qjs-preinit qjs-preinit-again || { log "the two pre-initialised builds differ"; exit 1; }
WASMTIME=$(real_wasmtime)
if [ -n "$WASMTIME" ]; then
    "$WASMTIME" compile "$WASM" -o qjs.cwasm
fi

names=(plain preinit) cmds=("./qjs-plain $SCRIPT" "./qjs-preinit $SCRIPT")
if [ -n "$WASMTIME" ]; then
    names+=(wasmtime)
    cmds+=("$WASMTIME run --allow-precompiled qjs.cwasm $SCRIPT")
fi
log "checking the outputs"
want=$(./qjs-plain "$SCRIPT")
for i in "${!cmds[@]}"; do
    # shellcheck disable=SC2086 # the command lines are split on purpose
    got=$(${cmds[$i]})
    [ "$got" = "$want" ] || { log "${names[$i]} printed '$got', expected '$want'"; exit 1; }
done

rm -f round-*.json
for r in $(seq "$ROUNDS"); do
    for i in "${!cmds[@]}"; do
        hyperfine -N --style none --warmup 3 --runs "$RUNS" \
            --export-json "round-$r-${names[$i]}.json" "${cmds[$i]}" >/dev/null
    done
done

python3 - "$ROUNDS" "${names[@]}" <<'PY'
import json, statistics, sys
rounds, names = int(sys.argv[1]), sys.argv[2:]
print("| program | median wall ms | mean CPU ms (user + sys) | runs |")
print("|---|---:|---:|---:|")
medians = {}
for n in names:
    wall, cpu = [], []
    for r in range(1, rounds + 1):
        res = json.load(open(f"round-{r}-{n}.json"))["results"][0]
        wall += res["times"]
        cpu.append(res["user"] + res["system"])
    medians[n] = statistics.median(wall)
    print(f"| {n} | {medians[n] * 1e3:.2f} | {statistics.mean(cpu) * 1e3:.2f} | {len(wall)} |")
print()
print(f"plain / preinit (median wall): {medians['plain'] / medians['preinit']:.1f}x")
PY
python3 -c 'import sys; t = [float(x) for x in sys.argv[1:]]; print(f"\nbuild wall s: plain {t[1] - t[0]:.2f}, preinit {t[2] - t[1]:.2f}")' "$t0" "$t1" "$t2"
ls -l qjs-plain qjs-preinit | awk '{ printf "%s %d bytes\n", $NF, $5 }'
