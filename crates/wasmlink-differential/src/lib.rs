//! Differential testing: run the same modules through wasmlink and through a
//! reference engine (Node's built-in WebAssembly, i.e. V8) and compare what
//! every exported function returns or whether it traps.
//!
//! The spec suite checks what its authors thought of; this checks what a
//! generator (wasm-smith, in `tests/differential.rs` and the `differential`
//! fuzz target) produces. It reuses the harness of the spec runner: a batch
//! of modules becomes one [`InstanceGraph`] with one instance per module, is
//! compiled and linked once ([`wasmlink::wast::exec::build`]), and is then driven
//! command by command ([`wasmlink::wast::exec::Session`]) so that a module whose
//! instantiation traps is not called and a crash of the executable only
//! loses the module it happened in. Node runs the same commands from a small
//! script (`NODE_SCRIPT`).
//!
//! Comparison rules ([`compare`]): results bit-exact except that any NaN
//! equals any NaN; traps must agree on trapped/not, and on a coarse category
//! (unreachable, memory, table, arithmetic) when both messages have one;
//! when either side exhausts the stack the rest of that module is skipped
//! (the depth differs between engines, and so may the state afterwards).
//! Only functions whose parameters and results are `i32`/`i64`/`f32`/`f64`
//! are called (JavaScript cannot pass `v128`), and float arguments are never
//! NaNs with payloads (JavaScript may not preserve them).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;
use std::time::Duration;
use wasmlink::wast::exec::{build, export_index, Built, Session};
use wasmlink_graph::{Entry, Instance, InstanceGraph, Source, WasiConfig};
use wasmlink_module::wasmparser::{ValType, WasmFeatures};
use wasmlink_module::{parse_module_with, ExternKind, ModuleInfo};

/// No single command may take longer than this (generated modules are
/// meant to be fuelled so that they terminate quickly).
const COMMAND_TIMEOUT: Duration = Duration::from_secs(20);

/// A numeric value type a call can pass or return.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    I32,
    I64,
    F32,
    F64,
}

impl Ty {
    fn of(t: &ValType) -> Option<Ty> {
        match t {
            ValType::I32 => Some(Ty::I32),
            ValType::I64 => Some(Ty::I64),
            ValType::F32 => Some(Ty::F32),
            ValType::F64 => Some(Ty::F64),
            _ => None,
        }
    }

    fn letter(self) -> char {
        match self {
            Ty::I32 => 'i',
            Ty::I64 => 'I',
            Ty::F32 => 'f',
            Ty::F64 => 'F',
        }
    }

    fn mask(self) -> u64 {
        match self {
            Ty::I32 | Ty::F32 => u32::MAX as u64,
            Ty::I64 | Ty::F64 => u64::MAX,
        }
    }
}

/// A value: its type and its bits (floats as their bit pattern).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Value {
    pub ty: Ty,
    pub bits: u64,
}

impl Value {
    fn is_nan(&self) -> bool {
        match self.ty {
            Ty::F32 => f32::from_bits(self.bits as u32).is_nan(),
            Ty::F64 => f64::from_bits(self.bits).is_nan(),
            _ => false,
        }
    }

    /// Equal bits, or both NaN.
    pub fn same(&self, other: &Value) -> bool {
        self.ty == other.ty && (self.bits == other.bits || (self.is_nan() && other.is_nan()))
    }
}

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self.ty {
            Ty::I32 => write!(f, "i32:{:#x}", self.bits),
            Ty::I64 => write!(f, "i64:{:#x}", self.bits),
            Ty::F32 => write!(
                f,
                "f32:{:#x}({})",
                self.bits,
                f32::from_bits(self.bits as u32)
            ),
            Ty::F64 => write!(f, "f64:{:#x}({})", self.bits, f64::from_bits(self.bits)),
        }
    }
}

/// One call of an exported function.
#[derive(Clone, Debug)]
pub struct Call {
    pub export: String,
    pub params: Vec<Ty>,
    pub results: Vec<Ty>,
    pub args: Vec<Value>,
}

/// A module and what to do with it. Each run instantiates the module
/// afresh (its own memories, tables, globals, and wasm-smith's fuel), makes
/// its calls in order, then reads `globals` (exported numeric globals).
#[derive(Clone, Debug)]
pub struct Case {
    /// For messages (e.g. the generator seed).
    pub name: String,
    pub wasm: Vec<u8>,
    pub runs: Vec<Vec<Call>>,
    pub globals: Vec<(String, Ty)>,
}

/// What one engine did for one command.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Values(Vec<Value>),
    Trap(String),
    /// The call stack was exhausted.
    Exhausted,
    /// Not run because instantiation failed.
    NotRun,
    /// The engine could not run it at all (the reference does not support a
    /// feature, or JavaScript cannot express the call).
    Unsupported(String),
}

/// What one engine did for one case: one entry per run.
pub type CaseOutcome = Vec<RunOutcome>;

/// What one engine did for one run of a case.
#[derive(Clone, Debug, PartialEq)]
pub struct RunOutcome {
    pub instantiate: Outcome,
    pub calls: Vec<Outcome>,
    pub globals: Vec<Outcome>,
}

/// A small deterministic generator (xorshift64*), so cases depend only on
/// their seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

const INTERESTING: [u64; 12] = [
    0,
    1,
    2,
    7,
    0xff,
    0x8000,
    0xffff,
    0x7fff_ffff,
    0x8000_0000,
    0xffff_ffff,
    0x7fff_ffff_ffff_ffff,
    0xffff_ffff_ffff_ffff,
];
const INTERESTING_F32: [f32; 8] = [0.0, -0.0, 1.0, -1.5, 0.5, 1e10, f32::INFINITY, f32::MIN];
const INTERESTING_F64: [f64; 8] = [
    0.0,
    -0.0,
    1.0,
    -1.5,
    0.5,
    1e300,
    f64::NEG_INFINITY,
    4294967296.0,
];

fn arg(rng: &mut Rng, ty: Ty, zero: bool) -> Value {
    let r = rng.next();
    let pick = rng.next();
    let bits = if zero {
        0
    } else {
        match (ty, pick % 4) {
            (Ty::I32 | Ty::I64, 0) => r,
            (Ty::I32 | Ty::I64, _) => INTERESTING[(r % 12) as usize],
            (Ty::F32, 0) => r & 0xffff_ffff,
            (Ty::F32, 1) => f32::NAN.to_bits() as u64,
            (Ty::F32, _) => INTERESTING_F32[(r % 8) as usize].to_bits() as u64,
            (Ty::F64, 0) => r,
            (Ty::F64, 1) => f64::NAN.to_bits(),
            (Ty::F64, _) => INTERESTING_F64[(r % 8) as usize].to_bits(),
        }
    };
    let mut v = Value {
        ty,
        bits: bits & ty.mask(),
    };
    // JavaScript numbers need not keep NaN payloads: pass only the canonical NaN.
    if v.is_nan() {
        v.bits = match ty {
            Ty::F32 => f32::NAN.to_bits() as u64,
            _ => f64::NAN.to_bits(),
        };
    }
    v
}

/// Build a case for `wasm`: one run per exported function with a numeric
/// signature, calling it `vectors` times (the first time with zeros) with
/// arguments derived from `seed`, and one run with no calls (instantiation
/// and globals only) when there is no such function; every exported numeric
/// global is read at the end of each run. `Err` means the wasmlink loader
/// rejected the module.
pub fn case_for(
    name: &str,
    wasm: Vec<u8>,
    features: WasmFeatures,
    seed: u64,
    vectors: usize,
) -> Result<Case, String> {
    let module = parse_module_with(wasm.clone(), features).map_err(|e| e.to_string())?;
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let mut funcs = Vec::new();
    let mut globals = Vec::new();
    for e in &module.exports {
        match e.kind {
            ExternKind::Func => {
                let ty = module.func_type(e.index);
                let params: Option<Vec<Ty>> = ty.params().iter().map(Ty::of).collect();
                let results: Option<Vec<Ty>> = ty.results().iter().map(Ty::of).collect();
                if let (Some(params), Some(results)) = (params, results) {
                    funcs.push((e.name.clone(), params, results));
                }
            }
            ExternKind::Global => {
                if let Some(t) = Ty::of(&module.globals[e.index as usize].ty.content_type) {
                    globals.push((e.name.clone(), t));
                }
            }
            _ => {}
        }
    }
    let mut runs: Vec<Vec<Call>> = funcs
        .iter()
        .map(|(export, params, results)| {
            (0..vectors)
                .map(|round| Call {
                    export: export.clone(),
                    params: params.clone(),
                    results: results.clone(),
                    args: params
                        .iter()
                        .map(|&t| arg(&mut rng, t, round == 0))
                        .collect(),
                })
                .collect()
        })
        .collect();
    if runs.is_empty() {
        runs.push(Vec::new());
    }
    Ok(Case {
        name: name.to_string(),
        wasm,
        runs,
        globals,
    })
}

fn parse_values(rest: &str, types: &[Ty]) -> Outcome {
    let words: Vec<&str> = rest.split_whitespace().collect();
    if words.len() != types.len() {
        return Outcome::Unsupported(format!("bad reply {rest:?}"));
    }
    let mut values = Vec::new();
    for (w, &ty) in words.iter().zip(types) {
        match u128::from_str_radix(w, 16) {
            Ok(v) => values.push(Value {
                ty,
                bits: v as u64 & ty.mask(),
            }),
            Err(_) => return Outcome::Unsupported(format!("bad reply {rest:?}")),
        }
    }
    Outcome::Values(values)
}

/// Turn a harness reply into an outcome.
fn harness_outcome(reply: &str, types: &[Ty]) -> Outcome {
    let (status, rest) = reply.split_once(' ').unwrap_or((reply, ""));
    match status {
        "ok" => parse_values(rest, types),
        "trap" if rest.contains("call stack exhausted") => Outcome::Exhausted,
        "trap" => Outcome::Trap(rest.to_string()),
        _ => Outcome::Unsupported(format!("bad harness reply {reply:?}")),
    }
}

/// Build the graph for the modules that load: one source per module, one
/// instance per run, no imports. Returns the graph and, per case, its first
/// instance (the runs' instances are consecutive) or its load error.
fn graph_for(
    cases: &[Case],
    features: WasmFeatures,
) -> (InstanceGraph, Vec<Result<usize, String>>) {
    let mut sources = Vec::new();
    let mut instances = Vec::new();
    let mut ids = Vec::new();
    for (n, case) in cases.iter().enumerate() {
        let module: Result<ModuleInfo, String> =
            parse_module_with(case.wasm.clone(), features).map_err(|e| format!("load error: {e}"));
        match module {
            Ok(m) if !m.imports.is_empty() => ids.push(Err("module has imports".to_string())),
            Ok(m) => {
                sources.push(Source {
                    name: format!("case{n}"),
                    path: None,
                    module: Arc::new(m),
                });
                ids.push(Ok(instances.len()));
                for r in 0..case.runs.len() {
                    instances.push(Instance {
                        name: format!("case{n}.{r}"),
                        source: sources.len() - 1,
                        imports: Vec::new(),
                    });
                }
            }
            Err(e) => ids.push(Err(e)),
        }
    }
    let graph = InstanceGraph {
        order: (0..instances.len()).collect(),
        sources,
        instances,
        entry: Entry {
            instance: 0,
            func: 0,
        },
        wasi: WasiConfig::default(),
    };
    (graph, ids)
}

fn build_caught(graph: &InstanceGraph) -> Result<Built, String> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| build(graph))) {
        Ok(r) => r,
        Err(p) => {
            let msg = p
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            Err(format!("panic while compiling: {msg}"))
        }
    }
}

/// Run `cases` through wasmlink: all of them in one harness executable.
/// Per case, `Err` means wasmlink failed to load, compile or link it, or
/// the executable died or hung while running it. When the batch does not
/// build, every case is built on its own to find the culprits.
pub fn run_modules(cases: &[Case], features: WasmFeatures) -> Vec<Result<CaseOutcome, String>> {
    let (graph, ids) = graph_for(cases, features);
    if graph.instances.is_empty() {
        return ids.into_iter().map(|r| r.map(|_| unreachable!())).collect();
    }
    let built = match build_caught(&graph) {
        Ok(b) => b,
        Err(e) if cases.len() == 1 => return vec![Err(e)],
        Err(_) => {
            return cases
                .iter()
                .flat_map(|c| run_modules(std::slice::from_ref(c), features))
                .collect()
        }
    };
    let funcs = export_index(&graph, ExternKind::Func);
    let globals = export_index(&graph, ExternKind::Global);
    let mut session: Option<Session> = None;
    let mut out = Vec::new();
    for (case, id) in cases.iter().zip(ids) {
        let result = id.and_then(|i| {
            if session.is_none() {
                session = Some(Session::start(&built.exe)?);
            }
            let s = session.as_mut().expect("started");
            let r = run_case(s, case, i, &funcs, &globals);
            if r.is_err() {
                session = None;
            }
            r
        });
        out.push(result);
    }
    out
}

fn run_case(
    s: &mut Session,
    case: &Case,
    first: usize,
    funcs: &HashMap<(usize, String), usize>,
    globals: &HashMap<(usize, String), usize>,
) -> Result<CaseOutcome, String> {
    let mut out = Vec::new();
    for (r, calls) in case.runs.iter().enumerate() {
        let i = first + r;
        let mut outcome = RunOutcome {
            instantiate: harness_outcome(&s.command(&format!("i {i}"), COMMAND_TIMEOUT)?, &[]),
            calls: Vec::new(),
            globals: Vec::new(),
        };
        let live = outcome.instantiate == Outcome::Values(Vec::new());
        for call in calls {
            let o = match funcs.get(&(i, call.export.clone())) {
                Some(k) if live => {
                    let mut line = format!("c {k}");
                    for a in &call.args {
                        write!(line, " {:032x}", a.bits).expect("string");
                    }
                    harness_outcome(&s.command(&line, COMMAND_TIMEOUT)?, &call.results)
                }
                Some(_) => Outcome::NotRun,
                None => Outcome::Unsupported(format!("no harness export {:?}", call.export)),
            };
            outcome.calls.push(o);
        }
        for (name, ty) in &case.globals {
            let o = match globals.get(&(i, name.clone())) {
                Some(k) if live => {
                    harness_outcome(&s.command(&format!("g {k}"), COMMAND_TIMEOUT)?, &[*ty])
                }
                Some(_) => Outcome::NotRun,
                None => Outcome::Unsupported(format!("no harness global {name:?}")),
            };
            outcome.globals.push(o);
        }
        out.push(outcome);
    }
    Ok(out)
}

/// The reference runner. Commands (one per line, read from `commands.txt`
/// next to the `mN.wasm` files): `m N` instantiates module N afresh, `c NAME P R
/// ARGS…` calls export NAME (hex of its UTF-8) with parameter/result type
/// letters P and R (`-` for none) and hex argument bits, `g NAME T` reads a
/// global. One reply line per command: `ok HEX…`, `trap MESSAGE`,
/// `exhausted`, `notrun` or `unsupported MESSAGE`.
pub const NODE_SCRIPT: &str = r#"
import fs from 'node:fs';
const dir = process.argv[2];
const lines = fs.readFileSync(dir + '/commands.txt', 'utf8').split('\n').filter(l => l);
const f32 = new Float32Array(1), u32 = new Uint32Array(f32.buffer);
const f64 = new Float64Array(1), u64 = new BigUint64Array(f64.buffer);
const name = h => Buffer.from(h, 'hex').toString('utf8');
function toJs(t, h) {
  const b = BigInt('0x' + h);
  switch (t) {
    case 'i': return Number(BigInt.asIntN(32, b));
    case 'I': return BigInt.asIntN(64, b);
    case 'f': u32[0] = Number(b); return f32[0];
    case 'F': u64[0] = b; return f64[0];
  }
}
function fromJs(t, v) {
  switch (t) {
    case 'i': return (v >>> 0).toString(16);
    case 'I': return BigInt.asUintN(64, v).toString(16);
    case 'f': f32[0] = v; return u32[0].toString(16);
    case 'F': f64[0] = v; return u64[0].toString(16);
  }
}
function failure(e) {
  if (e instanceof WebAssembly.RuntimeError) return 'trap ' + e.message;
  if (e instanceof RangeError && /call stack/i.test(e.message)) return 'exhausted';
  return 'unsupported ' + String(e).replace(/\n/g, ' ');
}
const out = [];
let inst = null;
const modules = new Map();
for (const line of lines) {
  const w = line.split(' ');
  try {
    if (w[0] === 'm') {
      inst = null;
      if (!modules.has(w[1])) {
        modules.set(w[1], null);
        modules.set(w[1], new WebAssembly.Module(fs.readFileSync(dir + '/m' + w[1] + '.wasm')));
      }
      const mod = modules.get(w[1]);
      if (!mod) throw new Error('module did not compile');
      inst = new WebAssembly.Instance(mod, {});
      out.push('ok');
    } else if (!inst) {
      out.push('notrun');
    } else if (w[0] === 'c') {
      const params = w[2] === '-' ? '' : w[2], results = w[3] === '-' ? '' : w[3];
      const args = [...params].map((t, i) => toJs(t, w[4 + i]));
      let r = inst.exports[name(w[1])](...args);
      if (results.length === 1) r = [r];
      if (results.length === 0) r = [];
      out.push(['ok', ...[...results].map((t, i) => fromJs(t, r[i]))].join(' '));
    } else if (w[0] === 'g') {
      out.push('ok ' + fromJs(w[2], inst.exports[name(w[1])].value));
    }
  } catch (e) {
    out.push(failure(e));
  }
}
fs.writeFileSync(dir + '/replies.txt', out.join('\n') + '\n');
"#;

fn node_outcome(reply: &str, types: &[Ty]) -> Outcome {
    let (status, rest) = reply.split_once(' ').unwrap_or((reply, ""));
    match status {
        "ok" => parse_values(rest, types),
        "trap" => Outcome::Trap(rest.to_string()),
        "exhausted" => Outcome::Exhausted,
        "notrun" => Outcome::NotRun,
        _ => Outcome::Unsupported(rest.to_string()),
    }
}

fn types(t: &[Ty]) -> String {
    if t.is_empty() {
        "-".into()
    } else {
        t.iter().map(|t| t.letter()).collect()
    }
}

fn hex(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02x}")).collect()
}

/// Whether `node` can be run; the error says what to install.
pub fn node_available() -> Result<String, String> {
    match std::process::Command::new("node").arg("--version").output() {
        Ok(o) if o.status.success() => Ok(String::from_utf8_lossy(&o.stdout).trim().to_string()),
        Ok(o) => Err(format!("`node --version` failed: {}", o.status)),
        Err(e) => Err(format!(
            "differential testing needs Node.js (`node` on PATH, version 20 or later) as the \
             reference engine: {e}"
        )),
    }
}

/// Run `cases` in Node (the reference). `Err` when node cannot be run.
pub fn run_reference(cases: &[Case]) -> Result<Vec<CaseOutcome>, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let mut commands = String::new();
    for (n, case) in cases.iter().enumerate() {
        std::fs::write(dir.path().join(format!("m{n}.wasm")), &case.wasm)
            .map_err(|e| e.to_string())?;
        for calls in &case.runs {
            writeln!(commands, "m {n}").expect("string");
            for c in calls {
                write!(
                    commands,
                    "c {} {} {}",
                    hex(&c.export),
                    types(&c.params),
                    types(&c.results)
                )
                .expect("string");
                for a in &c.args {
                    write!(commands, " {:x}", a.bits).expect("string");
                }
                commands.push('\n');
            }
            for (name, ty) in &case.globals {
                writeln!(commands, "g {} {}", hex(name), ty.letter()).expect("string");
            }
        }
    }
    std::fs::write(dir.path().join("commands.txt"), commands).map_err(|e| e.to_string())?;
    let script = dir.path().join("reference.mjs");
    std::fs::write(&script, NODE_SCRIPT).map_err(|e| e.to_string())?;
    let out = std::process::Command::new("node")
        .arg("--stack-size=900")
        .arg(&script)
        .arg(dir.path())
        .output()
        .map_err(|e| format!("{} ({e})", node_available().err().unwrap_or_default()))?;
    if !out.status.success() {
        return Err(format!(
            "node failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let replies =
        std::fs::read_to_string(dir.path().join("replies.txt")).map_err(|e| e.to_string())?;
    let mut replies = replies.lines();
    let mut next = || {
        replies
            .next()
            .unwrap_or("unsupported missing reply")
            .to_string()
    };
    let mut outcomes = Vec::new();
    for case in cases {
        let mut runs = Vec::new();
        for calls in &case.runs {
            let instantiate = node_outcome(&next(), &[]);
            let calls = calls
                .iter()
                .map(|c| node_outcome(&next(), &c.results))
                .collect();
            let globals = case
                .globals
                .iter()
                .map(|(_, t)| node_outcome(&next(), &[*t]))
                .collect();
            runs.push(RunOutcome {
                instantiate,
                calls,
                globals,
            });
        }
        outcomes.push(runs);
    }
    Ok(outcomes)
}

/// A coarse trap category both engines' messages map to, if recognised.
fn category(message: &str) -> Option<&'static str> {
    let m = message.to_ascii_lowercase();
    // Arithmetic first: V8's "float unrepresentable in integer range"
    // contains "table".
    if ["divide", "overflow", "conversion", "unrepresentable"]
        .iter()
        .any(|k| m.contains(k))
    {
        Some("arithmetic")
    } else if m.contains("unreachable") {
        Some("unreachable")
    } else if m.contains("memory") {
        Some("memory")
    } else if [
        "table",
        "element",
        "signature",
        "null function",
        "indirect call",
    ]
    .iter()
    .any(|k| m.contains(k))
    {
        Some("table")
    } else {
        None
    }
}

/// How one comparison went.
enum Verdict {
    Same,
    /// Stop comparing this case (stack exhaustion, unsupported by the reference).
    Skip,
    Differ(String),
}

fn verdict(ours: &Outcome, reference: &Outcome) -> Verdict {
    use Outcome::*;
    match (ours, reference) {
        (Exhausted, _) | (_, Exhausted) | (_, Unsupported(_)) => Verdict::Skip,
        (Values(a), Values(b)) if a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.same(y)) => {
            Verdict::Same
        }
        (Trap(a), Trap(b)) => match (category(a), category(b)) {
            (Some(x), Some(y)) if x != y => {
                Verdict::Differ(format!("wasmlink trapped with {a:?}, reference with {b:?}"))
            }
            _ => Verdict::Same,
        },
        (NotRun, NotRun) => Verdict::Same,
        _ => Verdict::Differ(format!(
            "wasmlink: {}, reference: {}",
            show(ours),
            show(reference)
        )),
    }
}

fn show(o: &Outcome) -> String {
    match o {
        Outcome::Values(v) => {
            let v: Vec<String> = v.iter().map(|v| v.to_string()).collect();
            format!("returned [{}]", v.join(", "))
        }
        Outcome::Trap(m) => format!("trap {m:?}"),
        Outcome::Exhausted => "stack exhausted".into(),
        Outcome::NotRun => "not run".into(),
        Outcome::Unsupported(m) => format!("unsupported ({m})"),
    }
}

/// The result of comparing a batch.
#[derive(Clone, Debug, Default)]
pub struct DiffReport {
    /// Cases whose every command was compared.
    pub cases_compared: usize,
    /// Calls and global reads that agreed.
    pub agreed: usize,
    /// Of those, calls and reads that returned at least one value.
    pub returned: usize,
    /// Cases cut short: stack exhaustion, or the reference could not run them.
    pub skipped: usize,
    /// One line per disagreement or wasmlink failure: `case: what`.
    pub mismatches: Vec<String>,
}

impl std::ops::AddAssign for DiffReport {
    fn add_assign(&mut self, o: DiffReport) {
        self.cases_compared += o.cases_compared;
        self.agreed += o.agreed;
        self.returned += o.returned;
        self.skipped += o.skipped;
        self.mismatches.extend(o.mismatches);
    }
}

/// Compare wasmlink's outcomes with the reference's, case by case.
pub fn compare(
    cases: &[Case],
    ours: &[Result<CaseOutcome, String>],
    reference: &[CaseOutcome],
) -> DiffReport {
    let mut report = DiffReport::default();
    for ((case, ours), theirs) in cases.iter().zip(ours).zip(reference) {
        if theirs
            .iter()
            .any(|r| matches!(r.instantiate, Outcome::Unsupported(_)))
        {
            report.skipped += 1;
            continue;
        }
        let ours = match ours {
            Ok(o) => o,
            Err(e) => {
                report
                    .mismatches
                    .push(format!("{}: wasmlink failed: {e}", case.name));
                continue;
            }
        };
        let mut complete = true;
        for (n, ((calls, ours), theirs)) in case.runs.iter().zip(ours).zip(theirs).enumerate() {
            let labels = std::iter::once("instantiation".to_string())
                .chain(calls.iter().map(|c| {
                    let args: Vec<String> = c.args.iter().map(|a| a.to_string()).collect();
                    format!("call {:?}({})", c.export, args.join(", "))
                }))
                .chain(case.globals.iter().map(|(n, _)| format!("global {n:?}")));
            let pairs = std::iter::once((&ours.instantiate, &theirs.instantiate))
                .chain(ours.calls.iter().zip(&theirs.calls))
                .chain(ours.globals.iter().zip(&theirs.globals));
            for (label, (a, b)) in labels.zip(pairs) {
                match verdict(a, b) {
                    Verdict::Same => {
                        report.agreed += 1;
                        if matches!(a, Outcome::Values(v) if !v.is_empty()) {
                            report.returned += 1;
                        }
                    }
                    Verdict::Skip => {
                        complete = false;
                        break;
                    }
                    Verdict::Differ(d) => {
                        complete = false;
                        report
                            .mismatches
                            .push(format!("{}: run {n}: {label}: {d}", case.name));
                        break;
                    }
                }
            }
        }
        if complete {
            report.cases_compared += 1;
        } else {
            report.skipped += 1;
        }
    }
    report
}

/// Run `cases` through wasmlink and the reference and compare. `Err` when
/// the reference cannot be run (no `node`).
pub fn differential(cases: &[Case], features: WasmFeatures) -> Result<DiffReport, String> {
    let reference = run_reference(cases)?;
    let ours = run_modules(cases, features);
    Ok(compare(cases, &ours, &reference))
}
