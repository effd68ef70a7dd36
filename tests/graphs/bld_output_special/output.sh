# Outputs that are not regular files. $APP is the same program built to a
# regular file (builds are deterministic).
build() {
    "$WASMLINK" build -q "$CASE/main.wat" "$@" 2>&1
    echo "status $?"
}

# A FIFO is opened and written, not replaced: a reader gets the executable.
mkfifo pipe
timeout 60 cat pipe > got &
build -o pipe
wait
[ -p pipe ] && echo "pipe is still a FIFO"
cmp got "$APP" && echo "the reader got the executable"

# /dev/null, by name or through a symlink, is written through.
build -o /dev/null
ln -s /dev/null null
build -o null
[ -c /dev/null ] && [ -L null ] && echo "/dev/null is still a device; null still a symlink"

# A directory is refused.
mkdir dir
build -o dir

# Nothing was left beside the outputs.
ls -A
