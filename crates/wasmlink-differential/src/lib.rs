//! Differential testing: run the same modules through wasmlink and through a
//! reference engine (Node's built-in WebAssembly, i.e. V8) and compare what
//! every exported function returns, whether it traps, and whether an
//! exception escapes it.
//!
//! The spec suite checks what its authors thought of; this checks what a
//! generator (wasm-smith, in `tests/differential.rs` and the `differential`
//! fuzz target) produces. It reuses the harness of the spec runner: a batch
//! of modules becomes one [`InstanceGraph`] with one instance per module, is
//! compiled and linked once ([`wasmlink::wast::exec::build`]), and is then driven
//! command by command ([`wasmlink::wast::exec::Session`]) so that a module whose
//! instantiation traps is not called and a crash of the executable only
//! loses the module it happened in. Node runs the same commands from a small
//! script ([`NODE_SCRIPT`]); which `node`, and what it must support, is in
//! [`reference`].
//!
//! Two rewrites serve the generator and the reference: [`erase_gc`] turns a
//! module generated with wasm-smith's GC switch (the only one that gives
//! typed function references) into one with function types only, and
//! [`relaxed::deterministic`] gives the reference a copy of each module in
//! which every relaxed SIMD operator computes wasmlink's deterministic
//! choice (wasmlink runs the original).
//!
//! Comparison rules ([`compare`]): results bit-exact except that any NaN
//! equals any NaN; traps must agree on trapped/not, and on a coarse category
//! (unreachable, memory, table, arithmetic, null reference) when both
//! messages have one; an exception leaving the call (wasmlink's harness
//! reports `uncaught exception` like a trap, V8 throws a
//! `WebAssembly.Exception`) is its own outcome, [`Outcome::Exception`],
//! which must agree too; when either side exhausts the stack the rest of
//! that module is skipped (the depth differs between engines, and so may
//! the state afterwards).
//! Only functions whose parameters and results are `i32`/`i64`/`f32`/`f64`
//! are called (JavaScript cannot pass `v128`, nor an `exnref`), and float
//! arguments are never NaNs with payloads (JavaScript may not preserve
//! them).

mod compare;
pub mod gc;
pub mod reference;
pub mod relaxed;

pub use compare::{compare, DiffReport};
pub use gc::erase_gc;
pub use reference::{node_available, node_program, run_reference, NODE_ENV, NODE_SCRIPT};

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;
use std::time::Duration;
use wasmlink::wast::exec::{build_with, export_index, Built, Session};
use wasmlink::Optimizations;
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
    /// A Wasm exception left the call (or the start function): wasmlink's
    /// trap `uncaught exception`, a `WebAssembly.Exception` in JavaScript.
    Exception,
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
/// their seed. The state must not be zero.
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
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
    let r = rng.next_u64();
    let pick = rng.next_u64();
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

pub(crate) fn parse_values(rest: &str, types: &[Ty]) -> Outcome {
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
        "trap" if rest.starts_with("uncaught exception") => Outcome::Exception,
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
        embedded: Default::default(),
    };
    (graph, ids)
}

fn build_caught(graph: &InstanceGraph, wpo: Optimizations) -> Result<Built, String> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| build_with(graph, wpo))) {
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
    run_modules_with(cases, features, Optimizations::ALL)
}

/// [`run_modules`] with whole-program optimisations `wpo`.
pub fn run_modules_with(
    cases: &[Case],
    features: WasmFeatures,
    wpo: Optimizations,
) -> Vec<Result<CaseOutcome, String>> {
    let (graph, ids) = graph_for(cases, features);
    if graph.instances.is_empty() {
        return ids.into_iter().map(|r| r.map(|_| unreachable!())).collect();
    }
    let built = match build_caught(&graph, wpo) {
        Ok(b) => b,
        Err(e) if cases.len() == 1 => return vec![Err(e)],
        Err(_) => {
            return cases
                .iter()
                .flat_map(|c| run_modules_with(std::slice::from_ref(c), features, wpo))
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

/// Run `cases` through wasmlink and the reference and compare. `Err` when
/// the reference cannot be run (no `node`).
pub fn differential(cases: &[Case], features: WasmFeatures) -> Result<DiffReport, String> {
    differential_with(cases, features, Optimizations::ALL)
}

/// [`differential`] with whole-program optimisations `wpo`.
pub fn differential_with(
    cases: &[Case],
    features: WasmFeatures,
    wpo: Optimizations,
) -> Result<DiffReport, String> {
    let reference = run_reference(cases)?;
    let ours = run_modules_with(cases, features, wpo);
    Ok(compare(cases, &ours, &reference))
}
