#!/bin/sh
# A C compiler driver for the tests: records its arguments, one per line,
# in $LINKER_LOG, drops the marker flag the test adds, and runs cc.
printf '%s\n' "$@" > "$LINKER_LOG"
for a in "$@"; do
  shift
  [ "$a" = --test-marker ] || set -- "$@" "$a"
done
exec cc "$@"
