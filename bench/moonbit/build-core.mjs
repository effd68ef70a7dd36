// Builds moonbitlang/core for the wasm-gc target with the MoonBit compiler
// shipped in @moonbit/moonpad-monaco (dist/moonc-worker.js: the compiler, written in
// OCaml, as JavaScript), one fresh compiler instance per package:
//   node build-core.mjs EXTRACTED OUTDIR moonc-worker.js
// The regex packages (and string, bytes, argparse, prelude, which import
// them) fail with E4037 in this harness and are skipped; programs then
// name @builtin explicitly (no prelude).
import fs from 'fs';
import vm from 'vm';
const ROOT = process.argv[2], OUT = process.argv[3], COMPILER = process.argv[4];
const compilerSrc = fs.readFileSync(COMPILER, 'utf8').replace('LZ0(Fhx);', 'globalThis.__moonc=Fhx;');
const script = new vm.Script(compilerSrc);
function freshCompiler() {
  const ctx = { console, TextDecoder, TextEncoder, Uint8Array, setTimeout, clearTimeout, performance };
  ctx.self = ctx; ctx.globalThis = ctx;
  vm.createContext(ctx); script.runInContext(ctx); return ctx.__moonc;
}
const target = 'wasm-gc';
const d = JSON.parse(fs.readFileSync(`${ROOT}/lib/core/_build/packages.json`, 'utf8'));
const byPath = new Map(d.packages.map(p => [`${p.root}/${p.rel}`, p]));
const order = []; const seen = new Set();
function visit(p) { const k = `${p.root}/${p.rel}`; if (seen.has(k)) return; seen.add(k); for (const dep of p.deps) visit(byPath.get(dep.path)); order.push(p); }
d.packages.forEach(visit);
const mis = new Map(), cores = [];
const key = q => `/lib/core/${q.replace('moonbitlang/core/', '')}`;
for (const p of order) {
  const name = `${p.root}/${p.rel}`;
  if (p.deps.some(x => !mis.has(x.path))) { console.log('SKIP', name, '(a dependency failed)'); continue; }
  const mbtFiles = Object.entries(p.files).filter(([f, v]) => v.backend.includes('WasmGC') && v.optlevel.includes('Release'))
    .map(([f]) => { const fp = f.split(':')[1]; return [fp.split('/').pop(), fs.readFileSync(ROOT + fp, 'utf8')]; });
  const miFiles = p.deps.map(x => [`${key(x.path)}:${x.alias}`, mis.get(x.path)]);
  const trans = new Set(); const stack = p.deps.map(x => x.path);
  while (stack.length) { const q = stack.pop(); if (trans.has(q)) continue; trans.add(q); stack.push(...byPath.get(q).deps.map(x => x.path)); }
  const direct = new Set(p.deps.map(x => x.path));
  const indirect = [...trans].filter(q => !direct.has(q)).map(q => [`${key(q)}:${q.split('/').pop()}`, mis.get(q)]);
  const t0 = Date.now();
  const r = freshCompiler().buildPackage({ mbtFiles, miFiles, indirectImportMiFiles: indirect, stdMiFiles: [], target, pkg: name,
    pkgSources: ['moonbitlang/core:/lib/core'], isMain: false, errorFormat: 'human', enableValueTracing: false, noOpt: false });
  if (!r.core || !r.mi) { console.log('FAIL', name, r.diagnostics.join('\n').slice(0, 400)); continue; }
  mis.set(name, r.mi); cores.push(r.core);
  console.log(name, mbtFiles.length, 'files', Date.now() - t0, 'ms');
}
fs.mkdirSync(OUT, { recursive: true });
const names = [...mis.keys()];
names.forEach((k, i) => { fs.writeFileSync(`${OUT}/${String(i).padStart(3, '0')}.mi`, mis.get(k)); fs.writeFileSync(`${OUT}/${String(i).padStart(3, '0')}.core`, cores[i]); });
fs.writeFileSync(`${OUT}/packages.json`, JSON.stringify(names));
