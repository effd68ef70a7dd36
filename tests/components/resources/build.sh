#!/bin/sh
# The resource test's components (tests/components/build-pair.sh).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
exec "$here/../build-pair.sh" "$here" "$here/wit"
