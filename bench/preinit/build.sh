#!/usr/bin/env bash
# bench/preinit/build.sh CACHE: build qjs.wasm, QuickJS 2021-03-27 (the C
# sources the PyPI sdist `quickjs==1.19.4` carries) with lodash 4.17.21
# (npm) as its prelude, for wasm32-wasi with clang-14; print its path.
# Downloads go to CACHE (never into the repository); the module is built
# there too.
set -euo pipefail
CACHE=$1
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$CACHE"
cd "$CACHE"
if [ ! -f quickjs-1.19.4.tar.gz ]; then
    echo "downloading quickjs==1.19.4 (sdist) into $CACHE" >&2
    timeout 600 pip download --quiet --no-deps --no-binary :all: -d . quickjs==1.19.4 >&2
fi
if [ ! -f lodash-4.17.21.tgz ]; then
    echo "downloading lodash@4.17.21 into $CACHE" >&2
    timeout 600 npm pack --silent lodash@4.17.21 >&2
fi
rm -rf build && mkdir build && cd build
tar xzf ../quickjs-1.19.4.tar.gz
tar xzf ../lodash-4.17.21.tgz package/lodash.js
Q=quickjs-1.19.4/upstream-quickjs
# No OS threads (Atomics.wait) and no native stack probing under WASI,
# and only round-to-nearest (WASI has no other rounding mode: ties in
# toFixed/toPrecision round as printf does).
sed -i -e 's/^#if !defined(EMSCRIPTEN)$/#if !defined(EMSCRIPTEN) \&\& !defined(__wasi__)/' \
    -e 's/^#if !defined(_WIN32)$/#if !defined(_WIN32) \&\& !defined(__wasi__)/' $Q/quickjs.c
# The prelude as a C array.
python3 - package/lodash.js prelude.c <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
with open(sys.argv[2], "w") as out:
    out.write("const char prelude_js[] = {")
    out.write(",".join(str(b) for b in data))
    out.write(",0};\nconst unsigned prelude_js_len = %d;\n" % len(data))
PY
CFLAGS=(--target=wasm32-wasi -O2 -D_WASI_EMULATED_SIGNAL -DCONFIG_VERSION='"2021-03-27"' -I$Q)
for f in quickjs libregexp libunicode cutils; do
    # (-w: QuickJS's own warnings are not ours to fix.)
    clang-14 "${CFLAGS[@]}" -w -include malloc.h -Dgettimeofday=qjs_gettimeofday -c $Q/$f.c -o $f.o
done
clang-14 "${CFLAGS[@]}" -c "$HERE/qjs.c" -o qjs.o
clang-14 "${CFLAGS[@]}" -c prelude.c -o prelude.o
clang-14 --target=wasm32-wasi -O2 -Wl,--strip-debug -Wl,-z,stack-size=1048576 \
    -lwasi-emulated-signal \
    quickjs.o libregexp.o libunicode.o cutils.o qjs.o prelude.o -o ../qjs.wasm
echo "$CACHE/qjs.wasm"
