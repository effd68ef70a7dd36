#!/usr/bin/env bash
# bench/components.sh: a hot call between two components. bench/components'
# `app` (a C command component) calls `process(name: string, items:
# list<item>) -> u64` of `lib` (a C reactor component) N times; every call
# goes through a fused adapter that copies the 16-byte string, the list of 4
# records and their 4 strings into lib's memory (6 cabi_realloc calls in
# lib), which lib frees. The programs compared, interleaved
# (bench/tools.py bench: round i starts with program i; CPU = user+sys of
# the child and everything it starts; BENCH_RUNS runs each after one
# warm-up round):
#   - wasmlink static        `wasmlink build app.json`            (lib: UTF-8)
#   - wasmlink dynamic       `wasmlink build app.json --link dynamic`
#   - wasmtime               `wasmtime run --allow-precompiled composed.cwasm`
#                            (composed.wasm = app + lib by `wasm-tools compose`,
#                            precompiled with `wasmtime compile`)
#   - the same three with lib16 (UTF-16 strings: the adapter transcodes)
#   - one core module        native.c -DCOPY for wasm32-wasi (one.wasm): the
#                            same loop and copies by hand, no component
#                            boundary; built by wasmlink and run by wasmtime
#   - native                 native.c + native-lib.c, clang-14 -O2 (the
#                            floor), and with -DCOPY (malloc + memcpy of the
#                            arguments and free, as the canonical ABI does)
# All must print the same checksum (checked first, with N calls).
#
#   bench/components.sh [N]        (default N: 4000000, ~1 s per program)
#
# Needs: a release build of wasmlink (built if missing), wasmtime, clang-14
# or cc. The .wasm inputs are checked in (bench/components/build.sh makes
# them). Environment: BENCH_OUT (default target/bench; this script uses
# $BENCH_OUT/components), BENCH_RUNS (5), WASMTIME (a wasmtime binary).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SRC=$ROOT/bench/components
OUT=${BENCH_OUT:-$ROOT/target/bench}/components
RUNS=${BENCH_RUNS:-5}
N=${1:-4000000}
log() { printf '%s\n' "$*" >&2; }
mkdir -p "$OUT"

. "$ROOT/bench/lib.sh"
W=$(wasmlink_binary "$ROOT")
WT=$(real_wasmtime "${WASMTIME:-}")
[ -n "$WT" ] || { echo "bench/components.sh needs wasmtime" >&2; exit 1; }
CC=$(command -v clang-14 || command -v cc)

cd "$OUT"
log "building the programs"
"$W" build "$SRC/app.json" -o static
"$W" build "$SRC/app.json" --link dynamic -o dynamic
"$W" build "$SRC/app16.json" -o static16
"$W" build "$SRC/app16.json" --link dynamic -o dynamic16
"$W" build "$SRC/one.wasm" -o one
"$WT" compile "$SRC/composed.wasm" -o composed.cwasm
"$WT" compile "$SRC/composed16.wasm" -o composed16.cwasm
"$WT" compile "$SRC/one.wasm" -o one.cwasm
"$CC" -O2 "$SRC/native.c" "$SRC/native-lib.c" -o native
"$CC" -O2 -DCOPY "$SRC/native.c" "$SRC/native-lib.c" -o native-copy

WTRUN=("$WT" run --allow-precompiled)
labels=(
    "wasmlink static (UTF-8 → UTF-8)"
    "wasmlink dynamic (UTF-8 → UTF-8)"
    "wasmtime composed.cwasm (UTF-8 → UTF-8)"
    "wasmlink static (UTF-8 → UTF-16)"
    "wasmlink dynamic (UTF-8 → UTF-16)"
    "wasmtime composed16.cwasm (UTF-8 → UTF-16)"
    "one core module, copies by hand: wasmlink"
    "one core module, copies by hand: wasmtime .cwasm"
    "native clang -O2, no copies"
    "native clang -O2, copies by hand"
)
cmds=(
    "./static $N"
    "./dynamic $N"
    "${WTRUN[*]} composed.cwasm $N"
    "./static16 $N"
    "./dynamic16 $N"
    "${WTRUN[*]} composed16.cwasm $N"
    "./one $N"
    "${WTRUN[*]} one.cwasm $N"
    "./native $N"
    "./native-copy $N"
)

log "checking the outputs ($N calls each)"
expected=
for i in "${!cmds[@]}"; do
    # shellcheck disable=SC2086 # the command lines are split on purpose
    got=$(${cmds[$i]})
    [ -n "$expected" ] || expected=$got
    if [ "$got" != "$expected" ]; then
        echo "output differs: ${labels[$i]}: '$got', expected '$expected'" >&2
        exit 1
    fi
done

log "interleaved runs ($RUNS each after one warm-up round)"
args=()
for c in "${cmds[@]}"; do
    # shellcheck disable=SC2206
    args+=($c ::)
done
unset 'args[${#args[@]}-1]'
mapfile -t rows < <(python3 "$ROOT/bench/tools.py" bench "$RUNS" 1 "$OUT/components.json" "${args[@]}")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
read -r mwt8 wt8 _ <<<"${rows[2]}"
read -r mwt16 wt16 _ <<<"${rows[5]}"
read -r mwt1 wt1 _ <<<"${rows[7]}"
base=($wt8 $wt8 $wt8 $wt16 $wt16 $wt16 $wt1 $wt1 $wt8 $wt8)
mbase=($mwt8 $mwt8 $mwt8 $mwt16 $mwt16 $mwt16 $mwt1 $mwt1 $mwt8 $mwt8)

echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores;"
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at the end; $("$WT" --version); $("$CC" --version | head -1);"
echo "$N calls per run, $RUNS interleaved runs each after one warm-up round; all print \`$expected\`."
echo
echo "| program | median CPU s | min CPU s | median wall s | ns per call (median CPU) | median CPU / wasmtime | min CPU / wasmtime |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for i in "${!rows[@]}"; do
    read -r minc medc _ medw <<<"${rows[$i]}"
    printf '| %s | %.3f | %.3f | %.3f | %.0f | %s | %s |\n' "${labels[$i]}" "$medc" "$minc" "$medw" \
        "$(awk -v s="$medc" -v n="$N" 'BEGIN { print s / n * 1e9 }')" "$(ratio "$medc" "${base[$i]}")" \
        "$(ratio "$minc" "${mbase[$i]}")"
done
echo
echo "CPU / wasmtime: against the wasmtime row of the same strings (UTF-8 or UTF-16), the one-module"
echo "rows against wasmtime's one-module row, the native rows against wasmtime UTF-8."
