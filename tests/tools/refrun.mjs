// refrun.mjs — a small reference implementation of wasmlink's graph
// semantics on top of Node's WebAssembly (V8), used to check the expected
// output of test cases that the reference `wasmtime` CLI cannot run (import
// cycles, virtual facades, one source instantiated twice under manifest
// names, per-instance WASI memory).
//
//   node tests/tools/refrun.mjs CASE/app.json [args…]     (or a .wat/.wasm)
//
// Runs in the current directory. It implements the manifest rules of
// the README ("The manifest") that the cases use: sources (file, {file}, {wat},
// {virtual}), instances with import maps, implicit instances, builtin
// wasi_snapshot_preview1 (a subset: args, environ, fd_write to 1/2,
// proc_exit, clocks, random), relative specifiers, entry `inst` or
// `inst.export`, dependency-first instantiation (DFS post-order over the
// explicit instances in manifest order; function-import cycles go through
// lazy trampolines). Traps print `wasm trap: <spec message> in ?::<name>` and
// exit 134 (V8 does not say which module trapped). Not a product: a tool to
// produce independent expected outputs.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import crypto from 'node:crypto';

const [input, ...progArgs] = process.argv.slice(2);
if (!input) { console.error('usage: refrun.mjs app.json|x.wat|x.wasm [args…]'); process.exit(2); }

function watToWasm(file) {
  const out = path.join(os.tmpdir(), `refrun-${process.pid}-${crypto.randomUUID()}.wasm`);
  try {
    execFileSync('wat2wasm', ['--debug-names', file, '-o', out], { stdio: ['ignore', 'ignore', 'ignore'] });
  } catch {
    // what wabt cannot read (exception handling): wasm-tools keeps names too
    execFileSync('wasm-tools', ['parse', file, '-o', out], { stdio: ['ignore', 'inherit', 'inherit'] });
  }
  const bytes = fs.readFileSync(out);
  fs.unlinkSync(out);
  return bytes;
}
function loadFile(file) {
  return file.endsWith('.wat') ? watToWasm(file) : fs.readFileSync(file);
}


// V8 runs a start function inside `new WebAssembly.Instance`, before we can
// learn the instance's own memory for its WASI calls. So move the start
// function out: drop the start section and export the function as
// "\0refrun_start"; instantiate() calls it once the memory is known.
function leb(n) { const o = []; do { let b = n & 0x7f; n >>>= 7; if (n) b |= 0x80; o.push(b); } while (n); return o; }
function readLeb(b, p) { let r = 0, s = 0, x; do { x = b[p++]; r |= (x & 0x7f) << s; s += 7; } while (x & 0x80); return [r >>> 0, p]; }
function hoistStart(bytes) {
  const b = Uint8Array.from(bytes);
  const secs = []; let p = 8;
  while (p < b.length) {
    const id = b[p]; let [len, q] = readLeb(b, p + 1);
    secs.push({ id, start: p, body: q, end: q + len }); p = q + len;
  }
  const st = secs.find(s => s.id === 8);
  if (!st) return bytes;
  const [fn] = readLeb(b, st.body);
  const name = [...new TextEncoder().encode('\0refrun_start')];
  const entry = [...leb(name.length), ...name, 0, ...leb(fn)];
  const out = [...b.slice(0, 8)];
  let done = false;
  for (const s of secs) {
    if (s.id === 8) continue;
    if (s.id === 7) {
      let [count, q] = readLeb(b, s.body);
      const body = [...leb(count + 1), ...b.slice(q, s.end), ...entry];
      out.push(7, ...leb(body.length), ...body); done = true; continue;
    }
    if (!done && s.id !== 0 && s.id > 7 && s.id !== 12) {
      const body = [1, ...entry]; out.push(7, ...leb(body.length), ...body); done = true;
    }
    out.push(...b.slice(s.start, s.end));
  }
  if (!done) { const body = [1, ...entry]; out.push(7, ...leb(body.length), ...body); }
  return Uint8Array.from(out);
}

let manifest, baseDir;
if (input.endsWith('.json')) {
  manifest = JSON.parse(fs.readFileSync(input, 'utf8'));
  baseDir = path.dirname(input);
} else {
  const name = path.basename(input).replace(/\.(wat|wasm)$/, '');
  manifest = { sources: { [name]: path.basename(input) }, entry: name };
  baseDir = path.dirname(input);
}
const wasiCfg = manifest.wasi || {};

// ---- sources -------------------------------------------------------------
const sources = new Map(); // name -> {kind:'module', module, dir} | {kind:'virtual', bindings}
function addSourceSpec(name, spec) {
  if (typeof spec === 'string') spec = { file: spec };
  if (spec.virtual) { sources.set(name, { kind: 'virtual', bindings: spec.virtual }); return; }
  let bytes, dir = baseDir;
  if (spec.file) { const f = path.join(baseDir, spec.file); bytes = loadFile(f); dir = path.dirname(f); }
  else if (spec.wat !== undefined) {
    const f = path.join(os.tmpdir(), `refrun-${process.pid}-${crypto.randomUUID()}.wat`);
    fs.writeFileSync(f, spec.wat); bytes = watToWasm(f); fs.unlinkSync(f);
  } else throw new Error(`source ${name}: unsupported spec`);
  sources.set(name, { kind: 'module', module: new WebAssembly.Module(hoistStart(bytes)), dir });
}
for (const [name, spec] of Object.entries(manifest.sources || {})) addSourceSpec(name, spec);

// ---- nodes ---------------------------------------------------------------
// node: {name, source, imports map, state: 'new'|'busy'|'done', exports}
const nodes = new Map();
for (const [name, spec] of Object.entries(manifest.instances || {}))
  nodes.set(name, { name, source: spec.source, importMap: spec.imports || {}, explicit: true });
function node(name, fromDir) {
  if (nodes.has(name)) return nodes.get(name);
  if (sources.has(name)) { const n = { name, source: name, importMap: {} }; nodes.set(name, n); return n; }
  if (name.startsWith('./') || name.startsWith('../')) {
    const f = path.resolve(fromDir, name);
    if (nodes.has(f)) return nodes.get(f);
    if (!sources.has(f)) addSourceSpec(f, { file: path.relative(baseDir, f) });
    const n = { name: f, source: f, importMap: {} }; nodes.set(f, n); return n;
  }
  return null;
}

// ---- WASI ----------------------------------------------------------------
class Exit { constructor(code) { this.code = code; } }
const argv = wasiCfg.args === undefined || wasiCfg.args === 'inherit'
  ? [input, ...progArgs] : wasiCfg.args;
const envList = wasiCfg.env === undefined || wasiCfg.env === 'inherit'
  ? Object.entries(process.env).map(([k, v]) => `${k}=${v}`)
  : wasiCfg.env === 'none' ? [] : Object.entries(wasiCfg.env).map(([k, v]) => `${k}=${v}`);
const enc = new TextEncoder();
function wasiFor(getMem) {
  const dv = () => new DataView(getMem().buffer);
  const u8 = () => new Uint8Array(getMem().buffer);
  const strs = (list, ptrs, buf) => {
    let p = buf;
    list.forEach((s, i) => {
      dv().setUint32(ptrs + 4 * i, p, true);
      const b = enc.encode(s + '\0'); u8().set(b, p); p += b.length;
    });
    return 0;
  };
  const sizes = (list, a, b) => {
    dv().setUint32(a, list.length, true);
    dv().setUint32(b, list.reduce((n, s) => n + enc.encode(s).length + 1, 0), true);
    return 0;
  };
  return {
    args_sizes_get: (a, b) => sizes(argv, a, b),
    args_get: (a, b) => strs(argv, a, b),
    environ_sizes_get: (a, b) => sizes(envList, a, b),
    environ_get: (a, b) => strs(envList, a, b),
    fd_write(fd, iovs, n, nwritten) {
      if (fd !== 1 && fd !== 2) return 8;
      let total = 0;
      for (let i = 0; i < n; i++) {
        const p = dv().getUint32(iovs + 8 * i, true), l = dv().getUint32(iovs + 8 * i + 4, true);
        fs.writeSync(fd, u8().slice(p, p + l)); total += l;
      }
      dv().setUint32(nwritten, total, true);
      return 0;
    },
    proc_exit(code) { throw new Exit(code); },
    random_get(p, l) { crypto.randomFillSync(u8(), p, l); return 0; },
    clock_time_get(id, prec, out) {
      const t = id === 0 ? BigInt(Date.now()) * 1000000n : process.hrtime.bigint();
      dv().setBigUint64(out, t, true); return 0;
    },
    fd_fdstat_get: () => 8, fd_close: () => 8, fd_seek: () => 8, fd_prestat_get: () => 8,
    fd_prestat_dir_name: () => 8, fd_read: () => 8,
  };
}

// ---- resolution ----------------------------------------------------------
// A node's export space: name -> value; a facade also holds namespaces under
// "\0ns:NS".
function spaceOf(n) {
  const src = sources.get(n.source);
  if (!src) throw new Error(`instance ${n.name}: unknown source ${n.source}`);
  if (src.kind === 'virtual') return virtualSpace(n, src);
  instantiate(n);
  return n.exports;
}
function dirOf(n) { return (sources.get(n.source) || {}).dir || baseDir; }
// Resolve module name M as seen from node n (rules 1, 2 and 4 of the
// design); null means the WASI builtin. Returns a lookup N -> value with an
// `all()` giving the whole space.
function resolveIn(n, M) {
  const dir = dirOf(n);
  const map = n.importMap[M];
  if (typeof map === 'string') return nodeSpace(map, dir);
  if (map && typeof map === 'object') {
    const f = (N) => {
      const t = map[N]; if (!t) return undefined;
      const i = t.lastIndexOf('.');
      return nodeSpace(t.slice(0, i), dir)(t.slice(i + 1));
    };
    f.all = () => { throw new Error('all() of an import map'); };
    return f;
  }
  const direct = nodeSpace(M, dir, true);
  if (direct) return direct;
  if (M === 'wasi_snapshot_preview1') return null;
  throw new Error(`${n.name}: cannot resolve module ${M}`);
}
// "node" or "facade/NS" -> lookup
function nodeSpace(name, dir, optional) {
  const slash = name.indexOf('/');
  if (slash > 0 && !name.startsWith('./') && !name.startsWith('../')) {
    const outer = node(name.slice(0, slash), dir);
    if (outer) {
      const ns = spaceOf(outer)['\0ns:' + name.slice(slash + 1)];
      if (ns) { const f = (N) => ns[N]; f.all = () => ns; return f; }
    }
  }
  const t = node(name, dir);
  if (!t) { if (optional) return undefined; throw new Error(`unknown node ${name}`); }
  const f = (N) => spaceOf(t)[N];
  f.all = () => spaceOf(t);
  return f;
}
function virtualSpace(n, src) {
  if (n.exports) return n.exports;
  const scope = {}, out = {};
  const from = (M) => resolveIn(n, M);
  for (const b of src.bindings) {
    if (b.import !== undefined) scope[b.as || b.import] = from(b.from)(b.import);
    else if (b.importAllFrom !== undefined) scope['\0all:' + b.as] = from(b.importAllFrom).all();
    else if (b.exportAllFrom !== undefined) {
      const sp = from(b.exportAllFrom).all();
      if (b.as) out['\0ns:' + b.as] = sp; else Object.assign(out, sp);
    } else if (b.export !== undefined && b.from !== undefined) {
      out[b.as || b.export] = from(b.from)(b.export);
    } else if (b.export !== undefined) {
      const dot = b.export.indexOf('.');
      out[b.as || b.export] = b.export in scope ? scope[b.export]
        : dot > 0 ? scope['\0all:' + b.export.slice(0, dot)][b.export.slice(dot + 1)] : undefined;
    }
  }
  n.exports = out;
  return out;
}

const order = [];
function instantiate(n) {
  if (n.state === 'done') return;
  if (n.state === 'busy') return; // cycle: callers use trampolines
  n.state = 'busy';
  const src = sources.get(n.source);
  const imports = {};
  let wasiMem = null;
  const wasi = wasiFor(() => wasiMem);
  for (const imp of WebAssembly.Module.imports(src.module)) {
    imports[imp.module] ??= {};
    let val;
    const r = resolveIn(n, imp.module);
    if (r === null) {
      val = wasi[imp.name];
      if (!val) throw new Error(`unknown WASI function ${imp.name}`);
    } else if (imp.kind === 'function') {
      // try now; if the target is mid-instantiation (cycle), trampoline
      let f;
      try { f = r(imp.name); } catch (e) { if (process.env.REFRUN_DEBUG) console.error(e); f = undefined; }
      if (typeof f === 'function') val = f;
      else val = (...a) => r(imp.name)(...a);
    } else {
      val = r(imp.name);
      if (val === undefined) throw new Error(`${n.name}: ${imp.module}.${imp.name} unavailable (cycle?)`);
    }
    imports[imp.module][imp.name] = val;
  }
  const inst = new WebAssembly.Instance(src.module, imports);
  const ex = inst.exports;
  wasiMem = ex.memory instanceof WebAssembly.Memory ? ex.memory
    : Object.values(ex).find(v => v instanceof WebAssembly.Memory)
    ?? Object.values(imports).flatMap(o => Object.values(o)).find(v => v instanceof WebAssembly.Memory);
  n.exports = ex;
  n.state = 'done';
  order.push(n.name);
  if (typeof ex['\0refrun_start'] === 'function') ex['\0refrun_start']();
  if (typeof ex._initialize === 'function') ex._initialize();
}

// ---- run -----------------------------------------------------------------
const trapNames = [
  [/divide by zero|remainder by zero/, 'integer divide by zero'],
  [/unrepresentable|integer overflow/, 'integer overflow'],
  [/float unrepresentable|invalid conversion/, 'invalid conversion to integer'],
  [/memory access out of bounds/, 'out of bounds memory access'],
  [/table index is out of bounds/, 'undefined element (or out of bounds table access)'],
  [/null function or function signature mismatch/, 'uninitialized element / indirect call type mismatch'],
  [/function signature mismatch/, 'indirect call type mismatch'],
  [/unreachable/, 'unreachable'],
  [/Maximum call stack/, 'call stack exhausted'],
];
function trapReport(e) {
  let msg = e.message;
  if (/float unrepresentable/.test(msg)) msg = 'invalid conversion to integer';
  else for (const [re, m] of trapNames) if (re.test(msg)) { msg = m; break; }
  const frame = (e.stack || '').split('\n').find(l => /wasm:\/\//.test(l)) || '';
  const fn = (frame.match(/at (\S+) \(/) || [])[1] || '?';
  process.stdout.write('');
  fs.writeSync(2, `wasm trap: ${msg} in ?::${fn.replace(/^\$/, '')}\n`);
  process.exit(134);
}
try {
  const entry = manifest.entry;
  const dot = entry.indexOf('.');
  const entryNode = node(dot < 0 ? entry : entry.slice(0, dot), baseDir);
  if (!entryNode) throw new Error(`unknown entry ${entry}`);
  const explicit = [...nodes.values()].filter(n => n.explicit);
  for (const n of explicit) spaceOf(n);
  const sp = spaceOf(entryNode);
  const f = sp[dot < 0 ? '_start' : entry.slice(dot + 1)];
  f();
  process.exit(0);
} catch (e) {
  if (e instanceof Exit) process.exit(e.code);
  if (e instanceof WebAssembly.RuntimeError || e instanceof RangeError) trapReport(e);
  throw e;
}
