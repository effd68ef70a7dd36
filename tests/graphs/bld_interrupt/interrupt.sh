# Interrupt `wasmlink build` with each signal while the C compiler runs.
# Nothing may be left in the output directory or in $TMPDIR, the compiler
# and its child must be stopped, and wasmlink must die of the signal.

# Whether process $1 still runs (a zombie does not).
running() {
    [ -r "/proc/$1/stat" ] && [ "$(sed 's/.*) //' "/proc/$1/stat" | cut -c1)" != Z ]
}

for sig in INT TERM HUP; do
    rm -rf out tmp && mkdir out tmp
    # wasmlink's stderr goes to a file; the shell's own report of the
    # signal ("Terminated") goes nowhere.
    {
        (
            export TMPDIR="$PWD/tmp" CC="$CASE/slowcc" SLOWCC_DIR="$PWD" SLOWCC_SIGNAL=$sig
            exec "$WASMLINK" build "$CASE/../../../examples/wc/wc.wasm" -o out/app 2>stderr.txt
        )
        status=$?
    } 2>/dev/null
    echo "SIG$sig: wasmlink status $status"
    cat stderr.txt
    echo "output directory: [$(ls -A out)]"
    echo "temporary directory: [$(ls -A tmp)]"
    cat cc.stopped 2>/dev/null || echo "the compiler was not sent SIGTERM"
    rm -f cc.stopped
    for p in "$(cat cc.pid)" "$(cat sleep.pid)"; do
        n=0
        while running "$p" && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
        if running "$p"; then echo "process $p still runs"; kill -9 "$p"; fi
    done
done

# The same with the real compiler, interrupted as it starts linking.
rm -rf out tmp && mkdir out tmp
{
    (
        export TMPDIR="$PWD/tmp" CC="$CASE/realcc"
        exec "$WASMLINK" build "$CASE/../../../examples/wc/wc.wasm" -o out/app 2>stderr.txt
    )
    status=$?
} 2>/dev/null
echo "real compiler: wasmlink status $status"
cat stderr.txt
echo "output directory: [$(ls -A out)]"
echo "temporary directory: [$(ls -A tmp)]"

# A compiler that fails leaves nothing behind either.
rm -rf out tmp && mkdir out tmp
TMPDIR="$PWD/tmp" CC=false "$WASMLINK" build "$CASE/../../../examples/wc/wc.wasm" -o out/app 2>&1
echo "failing compiler: wasmlink status $?"
echo "output directory: [$(ls -A out)]"
echo "temporary directory: [$(ls -A tmp)]"
