// Compiles one MoonBit main package against the wasm-gc core built by build-core.mjs.
import fs from 'fs';
import vm from 'vm';
const [CORE, COMPILER, OUTWASM, ...SRCS] = process.argv.slice(2);
const src = fs.readFileSync(COMPILER, 'utf8').replace('LZ0(Fhx);', 'globalThis.__moonc=Fhx;');
const script = new vm.Script(src);
function freshCompiler() {
  const ctx = { console, TextDecoder, TextEncoder, Uint8Array, setTimeout, clearTimeout, performance };
  ctx.self = ctx; ctx.globalThis = ctx; vm.createContext(ctx); script.runInContext(ctx); return ctx.__moonc;
}
const names = JSON.parse(fs.readFileSync(`${CORE}/packages.json`, 'utf8'));
const id = i => String(i).padStart(3, '0');
const stdMiFiles = names.map((n, i) => { const g = n.replace('moonbitlang/core/', ''); return [`/lib/core/${g}:${g}`, fs.readFileSync(`${CORE}/${id(i)}.mi`)]; });
const mbtFiles = SRCS.map(f => [f.split('/').pop(), fs.readFileSync(f, 'utf8')]);
const r = freshCompiler().buildPackage({ mbtFiles, miFiles: [], indirectImportMiFiles: [], stdMiFiles, target: 'wasm-gc', pkg: 'app/main',
  pkgSources: ['app/main:/app'], isMain: true, errorFormat: 'human', enableValueTracing: false, noOpt: false });
if (r.diagnostics.length) console.error(r.diagnostics.join('\n'));
if (!r.core) process.exit(1);
const coreFiles = [...names.map((n, i) => fs.readFileSync(`${CORE}/${id(i)}.core`)), r.core];
const l = freshCompiler().linkCore({ coreFiles, main: 'app/main', pkgSources: ['moonbitlang/core:/lib/core', 'app/main:/app'], target: 'wasm-gc',
  exportedFunctions: [], outputFormat: 'wasm', testMode: false, debug: false, noOpt: false, sourceMap: false, sources: {}, stopOnMain: false });
fs.writeFileSync(OUTWASM, l.result);
console.error('wrote', OUTWASM, l.result.length, 'bytes');
