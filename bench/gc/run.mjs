// Node's side of bench/gc.sh: instantiate a GC module that imports
// nothing and print what its `run` export returns for the argument.
import { readFileSync } from "node:fs";
const [file, arg] = process.argv.slice(2);
const { instance } = await WebAssembly.instantiate(readFileSync(file));
console.log(String(instance.exports.run(Number(arg))));
