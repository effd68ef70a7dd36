#!/usr/bin/env bash
# bench/exceptions.sh: the cost of Wasm exception handling, wasmlink against
# wasmtime. Two programs (WAT in bench/exceptions/):
#   throw.wat  `throw D N`: N rounds of a throw D frames below a try_table
#              that catches it, for D = 1, 10 and 100 (the whole unwind:
#              throw, search for the handler, D frames left, payload
#              delivered);
#   calls.wat  `calls MODE N`: N calls of a small function that could throw
#              but never does, with no try_table (plain), the whole loop in
#              one try_table (loop), and each call in its own try_table
#              (each). Zero-cost exception handling: the three the same.
# Every program prints a checksum; each is checked first (wasmlink and
# wasmtime must agree, and the three calls modes too), then all run
# interleaved (bench/tools.py bench: round i starts with program i; CPU =
# user+sys of the child; BENCH_RUNS runs each after one warm-up round). The
# table gives median and minimum CPU, ns per iteration (median CPU / N,
# start-up included) and the ratios wasmlink/wasmtime and try_table/plain.
#
#   bench/exceptions.sh [N] [CALLS]    (defaults: N 50000 throws per depth,
#                                       CALLS 300000000: about a minute of
#                                       CPU in all, most of it wasmtime's)
#
# wasmlink builds each .wat (`wasmlink build`); wasmtime runs it compiled
# ahead of time (`wasmtime compile -W exceptions=y`, then `wasmtime run
# --allow-precompiled -W exceptions=y`). When wasmlink cannot build or run a
# program, or prints a wrong checksum, its cells say so, the reason is
# printed under the table, the wasmtime columns are still measured, and the
# script exits with status 1.
#
# Environment: WASMLINK (the wasmlink binary; default
# target/release/wasmlink, built with `cargo build --release -p wasmlink`
# when missing), WASMTIME (a wasmtime binary; default: the one on PATH,
# through pip's wrapper to the real binary), BENCH_OUT (default
# target/bench; this script uses $BENCH_OUT/exceptions), BENCH_RUNS (5).
set -euo pipefail
# With RUST_BACKTRACE set, wasmtime captures a host backtrace at every
# throw, which would be most of what its throw rows measure.
unset RUST_BACKTRACE RUST_LIB_BACKTRACE

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SRC=$ROOT/bench/exceptions
OUT=${BENCH_OUT:-$ROOT/target/bench}/exceptions
RUNS=${BENCH_RUNS:-5}
N=${1:-50000}
CALLS=${2:-300000000}
log() { printf '%s\n' "$*" >&2; }
case $N$CALLS in
    *[!0-9]*) echo "usage: bench/exceptions.sh [N] [CALLS] (numbers)" >&2; exit 2 ;;
esac
mkdir -p "$OUT"

. "$ROOT/bench/lib.sh"
W=$(wasmlink_binary "$ROOT")
WT=$(real_wasmtime "${WASMTIME:-}")
[ -n "$WT" ] || { echo "bench/exceptions.sh needs wasmtime" >&2; exit 1; }

cd "$OUT"
WTRUN=("$WT" run --allow-precompiled -W exceptions=y)

# The benchmarks: label, program, arguments, iterations.
labels=(
    "throw + catch, 1 frame"
    "throw + catch, 10 frames"
    "throw + catch, 100 frames"
    "calls, no try_table"
    "calls, loop in one try_table"
    "calls, try_table around each call"
)
progs=(throw throw throw calls calls calls)
argss=("1 $N" "10 $N" "100 $N" "plain $CALLS" "loop $CALLS" "each $CALLS")
iters=("$N" "$N" "$N" "$CALLS" "$CALLS" "$CALLS")

# ---- build -------------------------------------------------------------
log "compiling for wasmtime"
for p in throw calls; do
    "$WT" compile -W exceptions=y "$SRC/$p.wat" -o "$p.cwasm"
done
log "building with wasmlink ($W)"
declare -A wl_problem=()   # program -> why wasmlink has no numbers
for p in throw calls; do
    rm -f "wl-$p"
    if ! "$W" build "$SRC/$p.wat" -o "wl-$p" >"wl-$p.build.log" 2>&1; then
        wl_problem[$p]="wasmlink build failed: $(grep -m1 -v '^[[:space:]]*$' "wl-$p.build.log" || echo "no message") (full log: $OUT/wl-$p.build.log)"
        log "${wl_problem[$p]}"
    fi
done

# ---- check the outputs -------------------------------------------------
log "checking the outputs"
status=0
wt_out=()
for i in "${!labels[@]}"; do
    p=${progs[$i]}
    # shellcheck disable=SC2086 # the arguments are split on purpose
    if ! wt_out[$i]=$("${WTRUN[@]}" "$p.cwasm" ${argss[$i]} 2>"wt-$i.err"); then
        echo "wasmtime failed on $p ${argss[$i]} (see $OUT/wt-$i.err)" >&2
        exit 1
    fi
done
for i in 4 5; do
    if [ "${wt_out[$i]}" != "${wt_out[3]}" ]; then
        echo "wasmtime: ${labels[$i]} printed ${wt_out[$i]}, no try_table ${wt_out[3]}" >&2
        exit 1
    fi
done
for i in "${!labels[@]}"; do
    p=${progs[$i]}
    [ -z "${wl_problem[$p]:-}" ] || continue
    # shellcheck disable=SC2086
    got=$("./wl-$p" ${argss[$i]} 2>"wl-$i.err") && rc=0 || rc=$?
    if [ "$rc" -ne 0 ]; then
        wl_problem[$p]="wasmlink's $p ${argss[$i]} failed with status $rc: $(head -c 300 "wl-$i.err")"
        log "${wl_problem[$p]}"
    elif [ "$got" != "${wt_out[$i]}" ]; then
        wl_problem[$p]="wasmlink's $p ${argss[$i]} printed '$got', wasmtime '${wt_out[$i]}'"
        log "${wl_problem[$p]}"
    fi
done
[ ${#wl_problem[@]} -eq 0 ] || status=1

# ---- measure -----------------------------------------------------------
# one interleaved set: every wasmtime program, and wasmlink's where it works
args=()
wl_row=()   # benchmark index -> row of the results, or -1
wt_row=()
row=0
for i in "${!labels[@]}"; do
    p=${progs[$i]}
    wt_row[$i]=$row
    # shellcheck disable=SC2206
    args+=("${WTRUN[@]}" "$p.cwasm" ${argss[$i]} ::)
    row=$((row + 1))
    if [ -z "${wl_problem[$p]:-}" ]; then
        wl_row[$i]=$row
        # shellcheck disable=SC2206
        args+=("./wl-$p" ${argss[$i]} ::)
        row=$((row + 1))
    else
        wl_row[$i]=-1
    fi
done
unset 'args[${#args[@]}-1]'
log "interleaved runs ($RUNS each after one warm-up round)"
mapfile -t rows < <(python3 "$ROOT/bench/tools.py" bench "$RUNS" 1 "$OUT/exceptions.json" "${args[@]}")
[ ${#rows[@]} -eq "$row" ] || { echo "bench/tools.py bench failed (see above)" >&2; exit 1; }

# ---- report ------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2f", a / b }'; }
nsper() { awk -v s="$1" -v n="$2" 'BEGIN { if (s == "-" || n == 0) print "-"; else printf "%.1f", s / n * 1e9 }'; }
fmt() { awk -v s="$1" 'BEGIN { if (s == "-") print "-"; else printf "%.3f", s }'; }
# cells i: "wl_min wl_med wt_min wt_med" ("-" where there is no number)
cells() {
    local i=$1 wmin=- wmed=- tmin tmed
    read -r tmin tmed _ <<<"${rows[${wt_row[$i]}]}"
    if [ "${wl_row[$i]}" -ge 0 ]; then read -r wmin wmed _ <<<"${rows[${wl_row[$i]}]}"; fi
    echo "$wmin $wmed $tmin $tmed"
}

echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores;"
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at the end; $("$WT" --version); wasmlink: $W;"
echo "$RUNS interleaved runs each after one warm-up round; CPU = user + sys, seconds; ns per iteration from the median CPU (start-up included)."
echo
echo "| benchmark | iterations | wasmlink median CPU | wasmlink min CPU | wasmtime median CPU | wasmtime min CPU | wasmlink ns/iter | wasmtime ns/iter | median wasmlink / wasmtime | min wasmlink / wasmtime |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for i in "${!labels[@]}"; do
    read -r wmin wmed tmin tmed <<<"$(cells "$i")"
    if [ "$wmed" = - ]; then
        wl="not measured"
        printf '| %s | %s | %s | %s | %s | %s | %s | %s | - | - |\n' "${labels[$i]}" "${iters[$i]}" \
            "$wl" "$wl" "$(fmt "$tmed")" "$(fmt "$tmin")" - "$(nsper "$tmed" "${iters[$i]}")"
    else
        printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "${labels[$i]}" "${iters[$i]}" \
            "$(fmt "$wmed")" "$(fmt "$wmin")" "$(fmt "$tmed")" "$(fmt "$tmin")" \
            "$(nsper "$wmed" "${iters[$i]}")" "$(nsper "$tmed" "${iters[$i]}")" \
            "$(ratio "$wmed" "$tmed")" "$(ratio "$wmin" "$tmin")"
    fi
done
echo
echo "The non-throwing path: each calls row against \"calls, no try_table\" of the same engine (1.00: free)."
echo
echo "| benchmark | wasmlink median / no try_table | wasmlink min / no try_table | wasmtime median / no try_table | wasmtime min / no try_table |"
echo "|---|---:|---:|---:|---:|"
read -r bwmin bwmed btmin btmed <<<"$(cells 3)"
for i in 4 5; do
    read -r wmin wmed tmin tmed <<<"$(cells "$i")"
    printf '| %s | %s | %s | %s | %s |\n' "${labels[$i]}" "$(ratio "$wmed" "$bwmed")" "$(ratio "$wmin" "$bwmin")" \
        "$(ratio "$tmed" "$btmed")" "$(ratio "$tmin" "$btmin")"
done
echo
echo "Checksums: throw ${wt_out[0]} / ${wt_out[1]} / ${wt_out[2]}, calls ${wt_out[3]}."
if [ ${#wl_problem[@]} -ne 0 ]; then
    echo
    echo "wasmlink not measured:"
    for p in "${!wl_problem[@]}"; do echo "- $p: ${wl_problem[$p]}"; done
fi
exit $status
