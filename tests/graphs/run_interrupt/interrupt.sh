# `wasmlink run` interrupted while it builds into its cache leaves nothing
# behind: no staging directory in the cache, nothing in $TMPDIR.
running() {
    [ -r "/proc/$1/stat" ] && [ "$(sed 's/.*) //' "/proc/$1/stat" | cut -c1)" != Z ]
}
mkdir tmp
{
    (
        export TMPDIR="$PWD/tmp" CC="$CASE/slowcc" SLOWCC_DIR="$PWD" SLOWCC_SIGNAL=INT
        exec "$WASMLINK" run "$CASE/spin.wat" 2>stderr.txt
    )
    status=$?
} 2>/dev/null
echo "interrupted build: wasmlink status $status"
cat stderr.txt
echo "cache: [$(ls -A "$XDG_CACHE_HOME/wasmlink")]"
echo "temporary directory: [$(ls -A tmp)]"
for p in "$(cat cc.pid)" "$(cat sleep.pid)"; do
    n=0
    while running "$p" && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
    if running "$p"; then echo "process $p still runs"; kill -9 "$p"; fi
done

# The program `wasmlink run` starts gets SIGTERM as from a shell (wasmlink
# blocks it for itself while it builds, and a blocked mask survives exec):
# it dies of it. (SIGINT would not do: a shell without job control starts
# background commands with SIGINT ignored.)
"$WASMLINK" run "$CASE/spin.wat" &
pid=$!
n=0
until ls "$XDG_CACHE_HOME"/wasmlink/*/exe >/dev/null 2>&1 || [ $n -gt 600 ]; do sleep 0.05; n=$((n + 1)); done
sleep 0.5
kill -TERM $pid
n=0
while running $pid && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
if running $pid; then echo "the program ignored SIGTERM"; kill -9 $pid; fi
wait $pid
echo "program status $?"
