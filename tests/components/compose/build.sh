#!/bin/sh
# The composition test's components (tests/components/build-pair.sh):
# `lib` with UTF-16 strings, `app` with UTF-8, so every string crossing
# between them is transcoded.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
exec "$here/../build-pair.sh" "$here" "$here/wit" --string-encoding utf16
