# Relative specifiers name .wasm/.wat files inside the entry's directory
# tree: the main module's directory, or the manifest's.
mkdir -p app/lib outside
printf '(module (func (export "f")))\n' > outside/lib.wat
cp outside/lib.wat app/lib/ok.wat
printf '(module (import "../../outside/lib.wat" "f" (func $f)) (export "f" (func $f)))\n' > app/lib/chain.wat
printf 'private notes\n' > app/lib/notes.txt
ln -s notes.txt app/lib/notes.wasm
ln -s ../../outside/lib.wat app/lib/escape.wat
cp "$CASE"/*.wat "$CASE/app.json" app/
cd app
for input in imports_*.wat app.json; do
    echo "== $input"
    "$WASMLINK" build -q "$input" -o ../out 2>&1
    echo "status $?"
done
../out
