#!/usr/bin/env bash
# bench/component-overhead.sh: what shipping a preview1 program as a WASI 0.2
# command component costs, against the same program as a core module: build
# time (`wasmlink build`, the two variants interleaved by bench/tools.py
# bench: median and minimum wall and CPU of BENCH_RUNS builds after one
# warm-up pair; CPU = user+sys of wasmlink and the cc/ld it runs), the size
# of the executable, and for CPython the start-up of the two executables
# (`-c pass`, interleaved, BENCH_START_RUNS runs).
#
#   bench/component-overhead.sh [--no-download] [PROGRAM.wasm …]
#
# Default programs: tests/wasi/files.wasm (a C test program, 30 KB) and
# CPython 3.12 for WASI (26 MB; bench/fetch-cpython.sh downloads it into
# $BENCH_CACHE unless --no-download). Each is wrapped with `wasm-tools
# component new --adapt` and the official preview1 adapter
# (tests/wasi/build-components.sh fetches it), as toolchains ship preview1
# programs. Needs: wasm-tools, python3, a release build of wasmlink (built
# if missing). Environment: BENCH_OUT (default target/bench), BENCH_CACHE
# (default ~/.cache/wasmlink-bench), BENCH_RUNS (5), BENCH_START_RUNS (20).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${BENCH_OUT:-$ROOT/target/bench}/component-overhead
CACHE=${BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/wasmlink-bench}
RUNS=${BENCH_RUNS:-5}
START_RUNS=${BENCH_START_RUNS:-20}
DOWNLOAD=1
programs=()
for arg in "$@"; do
    case $arg in
        --no-download) DOWNLOAD=0 ;;
        -h | --help) sed -n '2,19p' "$0"; exit 0 ;;
        *) programs+=("$arg") ;;
    esac
done
. "$ROOT/bench/lib.sh"
W=$(wasmlink_binary "$ROOT")
TOOLS="python3 $ROOT/bench/tools.py"
mkdir -p "$OUT"

adapter=$(ls "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/wasi-preview1-component-adapter-provider-50.0.1/artefacts/wasi_snapshot_preview1.command.wasm 2>/dev/null | head -1 || true)
if [ -z "$adapter" ]; then
    echo "the preview1 adapter is not in the cargo registry: run tests/wasi/build-components.sh once" >&2
    exit 1
fi

if [ ${#programs[@]} -eq 0 ]; then
    programs=("$ROOT/tests/wasi/files.wasm")
    if py=$("$ROOT/bench/fetch-cpython.sh" "$CACHE" "$DOWNLOAD"); then
        programs+=("$py")
    else
        echo "CPython: not cached and not downloaded; skipped" >&2
    fi
fi

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
kb() { awk -v b="$1" 'BEGIN { printf "%.0f", b / 1024 }'; }

echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the start;"
echo "adapter: wasi-preview1-component-adapter-provider 50.0.1 (command); $RUNS interleaved builds each after one warm-up pair."
echo
echo "| program | variant | input KB | median build wall s | median build CPU s | min build CPU s | executable KB | component / core (CPU, size) |"
echo "|---|---|---:|---:|---:|---:|---:|---|"
starts=()
for prog in "${programs[@]}"; do
    name=$(basename "$prog" .wasm)
    comp="$OUT/$name.component.wasm"
    wasm-tools component new "$prog" --adapt "wasi_snapshot_preview1=$adapter" -o "$comp"
    mapfile -t rows < <($TOOLS bench "$RUNS" 1 "$OUT/$name-build.json" \
        "$W" build "$prog" -o "$OUT/$name.core" :: \
        "$W" build "$comp" -o "$OUT/$name.component")
    read -r cminc cmedc _ cmedw <<<"${rows[0]}"
    read -r pminc pmedc _ pmedw <<<"${rows[1]}"
    csize=$(stat -c %s "$OUT/$name.core")
    psize=$(stat -c %s "$OUT/$name.component")
    printf '| %s | core module | %s | %.3f | %.3f | %.3f | %s | |\n' "$name" "$(kb "$(stat -c %s "$prog")")" \
        "$cmedw" "$cmedc" "$cminc" "$(kb "$csize")"
    printf '| %s | component | %s | %.3f | %.3f | %.3f | %s | %s, %s (+%s KB) |\n' "$name" "$(kb "$(stat -c %s "$comp")")" \
        "$pmedw" "$pmedc" "$pminc" "$(kb "$psize")" "$(ratio "$pmedc" "$cmedc")" "$(ratio "$psize" "$csize")" \
        "$(kb $((psize - csize)))"
    case $name in cpython* | python*) starts+=("$name") ;; esac
done

for name in ${starts[@]+"${starts[@]}"}; do
    a=$("$OUT/$name.core" -c 'print(6 * 7)')
    b=$("$OUT/$name.component" -c 'print(6 * 7)')
    [ "$a" = "$b" ] || { echo "$name: core prints '$a', component '$b'" >&2; exit 1; }
    mapfile -t rows < <($TOOLS bench "$START_RUNS" 1 "$OUT/$name-start.json" \
        "$OUT/$name.core" -c pass :: "$OUT/$name.component" -c pass)
    read -r cminc cmedc _ cmedw <<<"${rows[0]}"
    read -r pminc pmedc _ pmedw <<<"${rows[1]}"
    echo
    echo "$name start-up, \`-c pass\` ($START_RUNS interleaved runs each; both print \`$a\` for \`-c 'print(6 * 7)'\`):"
    echo "core module $(awk -v s="$cmedw" 'BEGIN { printf "%.1f", s * 1000 }') ms median wall," \
        "$(awk -v s="$cmedc" 'BEGIN { printf "%.1f", s * 1000 }') ms median CPU;" \
        "component $(awk -v s="$pmedw" 'BEGIN { printf "%.1f", s * 1000 }') ms wall," \
        "$(awk -v s="$pmedc" 'BEGIN { printf "%.1f", s * 1000 }') ms CPU;" \
        "component / core: $(ratio "$pmedc" "$cmedc") CPU, $(ratio "$pmedw" "$cmedw") wall."
done
echo
echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
