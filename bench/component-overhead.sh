#!/usr/bin/env bash
# bench/component-overhead.sh: what shipping a preview1 program as a WASI 0.2
# command component costs, against the same program as a core module: build
# time (`wasmlink build`, median of BENCH_RUNS builds, the two variants
# interleaved), executable size, and run time of the built executables
# (interleaved, bench/tools.py).
#
#   bench/component-overhead.sh [PROGRAM.wasm …]
#
# Default programs: tests/wasi/files.wasm (a C test program, 30 KB) and,
# when bench/fetch-cpython.sh has fetched it, CPython 3.12 for WASI (26 MB).
# Each is wrapped with `wasm-tools component new --adapt` and the official
# preview1 adapter (tests/wasi/build-components.sh fetches it), as toolchains
# ship preview1 programs. Needs: wasm-tools, a release build of wasmlink.
# Environment: BENCH_OUT (default target/bench), BENCH_RUNS (5).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${BENCH_OUT:-$ROOT/target/bench}/component-overhead
CACHE=${BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/wasmlink-bench}
RUNS=${BENCH_RUNS:-5}
W=$ROOT/target/release/wasmlink
mkdir -p "$OUT"
[ -x "$W" ] || cargo build --release -p wasmlink --manifest-path "$ROOT/Cargo.toml"

adapter=$(ls "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/wasi-preview1-component-adapter-provider-50.0.1/artefacts/wasi_snapshot_preview1.command.wasm 2>/dev/null | head -1 || true)
if [ -z "$adapter" ]; then
    echo "the preview1 adapter is not in the cargo registry: run tests/wasi/build-components.sh once" >&2
    exit 1
fi

programs=("$@")
if [ ${#programs[@]} -eq 0 ]; then
    programs=("$ROOT/tests/wasi/files.wasm")
    [ -f "$CACHE/cpython312.wasm" ] && programs+=("$CACHE/cpython312.wasm")
fi

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
now() { date +%s.%N; }

printf '%-16s %-10s %12s %14s\n' program variant "build (s)" "size (bytes)"
for prog in "${programs[@]}"; do
    name=$(basename "$prog" .wasm)
    comp="$OUT/$name.component.wasm"
    wasm-tools component new "$prog" --adapt "wasi_snapshot_preview1=$adapter" -o "$comp"
    : >"$OUT/$name.core.times"
    : >"$OUT/$name.component.times"
    for _ in $(seq "$RUNS"); do
        for variant in core component; do
            src=$prog
            [ $variant = component ] && src=$comp
            t0=$(now)
            "$W" build "$src" -o "$OUT/$name.$variant" >/dev/null
            t1=$(now)
            echo "$t1 - $t0" | bc >>"$OUT/$name.$variant.times"
        done
    done
    for variant in core component; do
        printf '%-16s %-10s %12s %14s\n' "$name" "$variant" \
            "$(median <"$OUT/$name.$variant.times")" \
            "$(stat -c %s "$OUT/$name.$variant")"
    done
done
