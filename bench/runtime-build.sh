#!/usr/bin/env bash
# bench/runtime-build.sh: how the runtime library is built and linked,
# against executable size, start-up and the speed of WASI calls. The same
# two compiled programs are linked with the runtime built several ways:
#
#   before        opt-level 3, no LTO, libgcc_s.so (how wasmlink built and
#                 linked the runtime until 2026-12-07)
#   lto3-gcc_s    opt-level 3, fat LTO with the standard library, libgcc_s.so
#   lto3          opt-level 3, fat LTO, libgcc's unwinder linked statically
#                 (-static-libgcc): what crates/wasmlink-link does now
#   lto2, ltos, ltoz   the same at opt-level 2, "s" and "z"
#
# Every variant: panic = "abort", codegen-units = 1, linked with
# -Wl,--gc-sections -s. The programs: hello world (bench/hello/hello.c,
# wasi-libc's printf, clang-14 for wasm32-wasi) and a loop of WASI calls
# (bench/hello/wasi-calls.wat, `run(n)`, N rounds), compiled by `wasmlink
# build` once (the object is kept through a CC wrapper) and linked by cc
# exactly as wasmlink links. Start-up: every hello world and the same C
# program compiled natively (cc -O2), interleaved (bench/tools.py bench,
# wait4), STARTUP runs each; WASI calls: every variant interleaved, RUNS
# runs each. Minimum and median CPU (user + sys).
#
#   bench/runtime-build.sh [N]      (default N: 1000000 rounds)
#
# Needs cargo, cc, clang-14 with wasi-libc, python3. Environment: WASMLINK
# (default: the release build, built when missing), BENCH_OUT (default
# target/bench; this script uses $BENCH_OUT/runtime-build), BENCH_RUNS (9),
# BENCH_STARTUP_RUNS (300). About 3 minutes on 2 cores, mostly the six
# runtime builds.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${BENCH_OUT:-$ROOT/target/bench}/runtime-build
RUNS=${BENCH_RUNS:-9}
STARTUP=${BENCH_STARTUP_RUNS:-300}
N=${1:-1000000}
for tool in cargo cc clang-14 python3; do
    command -v "$tool" >/dev/null || { echo "bench/runtime-build.sh needs $tool" >&2; exit 1; }
done
log() { printf '%s\n' "$*" >&2; }
. "$ROOT/bench/lib.sh"
W=$(wasmlink_binary "$ROOT")
mkdir -p "$OUT"
cd "$OUT"

# The objects wasmlink links, kept by a C compiler wrapper.
cat >keep-object.sh <<'EOF'
#!/bin/sh
for a in "$@"; do case $a in *.o) cp "$a" "$KEEP_OBJECT" ;; esac; done
exec cc "$@"
EOF
chmod +x keep-object.sh
clang-14 --target=wasm32-wasi -O2 -c "$ROOT/bench/hello/hello.c" -o hello-wasm.o
clang-14 --target=wasm32-wasi hello-wasm.o -o hello.wasm
KEEP_OBJECT=$OUT/hello.o CC=$OUT/keep-object.sh "$W" build hello.wasm -o hello-wasmlink
KEEP_OBJECT=$OUT/wasi.o CC=$OUT/keep-object.sh "$W" build "$ROOT/bench/hello/wasi-calls.json" -o wasi-wasmlink
cc -O2 "$ROOT/bench/hello/hello.c" -o hello-native

# variant NAME LTO OPT_LEVEL LIBGCC
VARIANTS=(
    "before false 3 shared"
    "lto3-gcc_s fat 3 shared"
    "lto3 fat 3 static"
    "lto2 fat 2 static"
    "ltos fat s static"
    "ltoz fat z static"
)
for v in "${VARIANTS[@]}"; do
    read -r name lto opt libgcc <<<"$v"
    log "runtime: $name"
    # The same environment as crates/wasmlink-link/build.rs (runtime/
    # declares only an rlib: the static library is asked for here).
    how=(rustc --crate-type staticlib)
    env -u RUSTFLAGS -u CARGO_ENCODED_RUSTFLAGS -u CARGO_TARGET_DIR -u CARGO_BUILD_TARGET \
        CARGO_PROFILE_RELEASE_PANIC=abort CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 \
        CARGO_PROFILE_RELEASE_LTO=$lto CARGO_PROFILE_RELEASE_OPT_LEVEL=$opt \
        CARGO_PROFILE_RELEASE_DEBUG=false \
        cargo "${how[@]}" --quiet --release --lib --manifest-path "$ROOT/runtime/Cargo.toml" \
        --target-dir "$OUT/rt-$name"
    static=()
    [ "$libgcc" = static ] && static=(-static-libgcc)
    for p in hello wasi; do
        cc -o "$p-$name" "$p.o" "$OUT/rt-$name/release/libwasmlink_runtime.a" \
            -Wl,--gc-sections -s ${static[@]+"${static[@]}"} -lpthread -ldl -lm
    done
    [ "$(./hello-$name)" = "$(./hello-native)" ] || { log "hello-$name prints something else"; exit 1; }
    [ "$(./wasi-$name 3)" = "$(./wasi-wasmlink 3)" ] || { log "wasi-$name prints something else"; exit 1; }
done

log "start-up: $STARTUP interleaved runs each"
args=()
for v in "${VARIANTS[@]}"; do
    read -r name _ <<<"$v"
    args+=("./hello-$name" ::)
done
mapfile -t START < <(python3 "$ROOT/bench/tools.py" bench "$STARTUP" 20 startup.json "${args[@]}" ./hello-native)
log "WASI calls: $RUNS interleaved runs each"
args=()
for v in "${VARIANTS[@]}"; do
    read -r name _ <<<"$v"
    args+=("./wasi-$name" "$N" ::)
done
unset 'args[${#args[@]}-1]'
mapfile -t CALLS < <(python3 "$ROOT/bench/tools.py" bench "$RUNS" 1 wasi.json "${args[@]}")

ms() { awk -v s="$1" 'BEGIN { printf "%.3f", s * 1000 }'; }
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores;"
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at the end; $(rustc --version); $(cc --version | head -1)."
echo "Start-up: $STARTUP interleaved runs each; WASI calls: $N rounds, $RUNS interleaved runs each."
echo
echo "| runtime | hello world bytes | start-up min CPU ms | start-up median CPU ms | WASI calls min CPU s | WASI calls median CPU s | WASI calls min / before |"
echo "|---|---:|---:|---:|---:|---:|---:|"
read -r base _ <<<"${CALLS[0]}"
i=0
for v in "${VARIANTS[@]}"; do
    read -r name _ <<<"$v"
    read -r smin smed _ <<<"${START[$i]}"
    read -r cmin cmed _ <<<"${CALLS[$i]}"
    printf '| %s | %d | %s | %s | %.3f | %.3f | %.2f |\n' "$name" "$(stat -c %s "hello-$name")" \
        "$(ms "$smin")" "$(ms "$smed")" "$cmin" "$cmed" "$(awk -v a="$cmin" -v b="$base" 'BEGIN { print a / b }')"
    i=$((i + 1))
done
read -r smin smed _ <<<"${START[$i]}"
printf '| native C (cc -O2) | %d | %s | %s | | | |\n' "$(stat -c %s hello-native)" "$(ms "$smin")" "$(ms "$smed")"
