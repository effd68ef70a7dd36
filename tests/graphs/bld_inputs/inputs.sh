# Only regular files are read (devices, FIFOs and directories are refused,
# also behind a symlink), and only up to a size limit checked before
# reading: 1 GiB per module, 16 MiB for a manifest. The address-space
# limit keeps a failure of these checks from taking the machine's memory.
ulimit -v 2000000
build() {
    timeout 60 "$WASMLINK" build "$1" -o out 2>&1
    echo "status $?"
}
manifest() {
    printf '{ "sources": { "m": "%s" }, "instances": { "m": { "source": "m" } } }\n' "$2" > "$1"
}
ln -s /dev/zero zero.wasm
ln -s /dev/zero zero.json
mkfifo fifo.wat
mkdir dir.wat
truncate -s 1073741825 big.wasm
truncate -s 1073741824 limit.wasm
truncate -s 16777217 big.json
manifest dev.json /dev/zero
manifest fifo.json fifo.wat
manifest big-source.json big.wasm
for input in zero.wasm zero.json fifo.wat dir.wat big.wasm big.json dev.json fifo.json big-source.json; do
    build "$input"
done
# At the limit the file is read (and is not a module).
build limit.wasm
[ -e out ] || echo "nothing was built"
