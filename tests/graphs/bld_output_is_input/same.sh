# An output that is one of the build's inputs is refused, by any name.
build() {
    "$WASMLINK" build "$@" 2>&1
    echo "status $?"
}
cp "$CASE/main.wat" "$CASE/lib.wat" "$CASE/app.json" .
ln -s main.wat link.wat
ln main.wat hard.wat
build main.wat -o main.wat
build main.wat -o link.wat
build main.wat -o hard.wat
build ./main.wat -o "$PWD/main.wat"
# The manifest, a source it uses and a source it only lists.
build app.json -o app.json
build app.json -o main.wat
build app.json -o lib.wat
cmp main.wat "$CASE/main.wat" && cmp lib.wat "$CASE/lib.wat" && cmp app.json "$CASE/app.json" \
    && echo "inputs unchanged"
[ -L link.wat ] && echo "link.wat is still a symlink"
