#!/usr/bin/env bash
# bench/hello.sh: the size and start-up of hello world (bench/hello/hello.c,
# printf from wasi-libc), as a wasmlink executable and as the same C program
# compiled natively. Prints a Markdown table.
#
# - wasm: clang-14 --target=wasm32-wasi -O2 -c, then linked without -O (no
#   wasm-opt), as examples/*/build.sh do; built with `wasmlink build`
#   (static link, every whole-program optimisation);
# - native: cc -O2 (dynamic glibc), also stripped;
# - size: the file as built and after `strip`;
# - start-up: hyperfine -N, BENCH_STARTUP_RUNS runs (default 1000) after 50
#   warm-up runs, each program alone: median wall and mean user + sys CPU;
#   then all programs interleaved (bench/tools.py bench, wait4), 300 runs
#   each: minimum and median CPU, which load from other processes can only
#   raise and hits all programs alike.
#
# Needs clang-14 with wasi-libc, cc, hyperfine, python3. Environment:
# WASMLINK (default: the release build, built when missing), BENCH_OUT
# (default target/bench; this script uses $BENCH_OUT/hello).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${BENCH_OUT:-$ROOT/target/bench}/hello
RUNS=${BENCH_STARTUP_RUNS:-1000}
for tool in clang-14 cc hyperfine python3; do
    command -v "$tool" >/dev/null || { echo "bench/hello.sh needs $tool" >&2; exit 1; }
done
. "$ROOT/bench/lib.sh"
W=$(wasmlink_binary "$ROOT")
mkdir -p "$OUT"
cd "$OUT"
clang-14 --target=wasm32-wasi -O2 -c "$ROOT/bench/hello/hello.c" -o hello.o
clang-14 --target=wasm32-wasi hello.o -o hello.wasm
"$W" build hello.wasm -o hello
cc -O2 "$ROOT/bench/hello/hello.c" -o hello-native
for p in hello hello-native; do
    cp "$p" "$p-stripped"
    strip "$p-stripped"
done
[ "$(./hello)" = "$(./hello-native)" ] || { echo "the two programs print different things" >&2; exit 1; }

echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores;"
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at the start; hello.wasm $(stat -c %s hello.wasm) bytes."
echo
hyperfine -N --style none --warmup 50 --runs "$RUNS" --export-json startup.json \
    --output null ./hello ./hello-native >/dev/null
python3 "$ROOT/bench/tools.py" bench 300 20 interleaved.json ./hello :: ./hello-native >interleaved.txt
mapfile -t HF < <(python3 "$ROOT/bench/tools.py" hf startup.json)
mapfile -t IL < interleaved.txt
echo "| program | size bytes | stripped bytes | hyperfine median wall ms | hyperfine mean CPU ms | interleaved min CPU ms | interleaved median CPU ms |"
echo "|---|---:|---:|---:|---:|---:|---:|"
i=0
for p in hello hello-native; do
    read -r wall cpu _ <<<"${HF[$i]}"
    read -r minc medc _ _ <<<"${IL[$i]}"
    printf '| %s | %d | %d | %.3f | %.3f | %.3f | %.3f |\n' "$p" "$(stat -c %s "$p")" "$(stat -c %s "$p-stripped")" \
        "$(awk -v s="$wall" 'BEGIN { print s * 1000 }')" "$(awk -v s="$cpu" 'BEGIN { print s * 1000 }')" \
        "$(awk -v s="$minc" 'BEGIN { print s * 1000 }')" "$(awk -v s="$medc" 'BEGIN { print s * 1000 }')"
    i=$((i + 1))
done
echo
echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
