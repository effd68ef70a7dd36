#!/usr/bin/env bash
# bench/threads.sh: wasi-threads. bench/threads/counter.wat (main(threads,
# total, private)) spawns 1, 2 or 4 threads that together add 1 `total`
# times with i32.atomic.rmw.add, to one shared counter (every add contends
# for one cache line) or to a counter per thread (its own cache line), and
# joins them with memory.atomic.wait32; counter.c is the same program in C
# with pthreads and __atomic_fetch_add. The programs compared, interleaved
# (bench/tools.py bench: round i starts with program i; CPU = user+sys of
# the child and its threads; BENCH_RUNS runs each after one warm-up round):
#   - wasmlink    `wasmlink build bench/threads/app.json` (static link)
#   - native      counter.c, clang-14 -O2 -pthread
# wasmtime 49 cannot run wasi-threads (`wasmtime run -S threads` says "the
# `-Sthreads` flag is no longer supported"), so it has no column. All must
# print TOTAL (checked first).
#
#   bench/threads.sh [TOTAL]        (default TOTAL: 100000000)
#
# Needs: a release build of wasmlink (built if missing), clang-14 or cc.
# Environment: BENCH_OUT (default target/bench; this script uses
# $BENCH_OUT/threads), BENCH_RUNS (5).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SRC=$ROOT/bench/threads
OUT=${BENCH_OUT:-$ROOT/target/bench}/threads
RUNS=${BENCH_RUNS:-5}
N=${1:-100000000}
log() { printf '%s\n' "$*" >&2; }
mkdir -p "$OUT"

. "$ROOT/bench/lib.sh"
W=$(wasmlink_binary "$ROOT")
CC=$(command -v clang-14 || command -v cc)

cd "$OUT"
log "building the programs"
"$W" build "$SRC/app.json" -o counter
"$CC" -O2 -pthread "$SRC/counter.c" -o counter-native

labels=() cmds=()
for mode in 0 1; do
    for t in 1 2 4; do
        what=$([ "$mode" = 0 ] && echo "shared counter" || echo "counter per thread")
        labels+=("wasmlink, $what, $t thread(s)" "native, $what, $t thread(s)")
        cmds+=("./counter $t $N $mode" "./counter-native $t $N $mode")
    done
done

log "checking the outputs ($N adds each)"
for i in "${!cmds[@]}"; do
    # shellcheck disable=SC2086 # the command lines are split on purpose
    got=$(${cmds[$i]})
    if [ "$got" != "$N" ]; then
        echo "wrong output: ${labels[$i]}: '$got', expected '$N'" >&2
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
mapfile -t rows < <(python3 "$ROOT/bench/tools.py" bench "$RUNS" 1 "$OUT/threads.json" "${args[@]}")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores;"
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at the end; $("$CC" --version | head -1);"
echo "$N atomic adds per run in all, $RUNS interleaved runs each after one warm-up round."
echo
echo "| program | median wall s | min wall s | median CPU s | min CPU s | wall / native |"
echo "|---|---:|---:|---:|---:|---:|"
for i in "${!rows[@]}"; do
    read -r minc medc minw medw <<<"${rows[$i]}"
    # the native row of the same mode and thread count
    n=$((i - i % 2 + 1))
    read -r _ _ _ nmedw <<<"${rows[$n]}"
    printf '| %s | %.3f | %.3f | %.3f | %.3f | %s |\n' "${labels[$i]}" "$medw" "$minw" "$medc" "$minc" \
        "$(ratio "$medw" "$nmedw")"
done
