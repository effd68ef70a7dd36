//! Inlining across instances (the `inline` whole-program optimisation).
//!
//! A static link knows, for every direct call, which function it reaches,
//! whether that function lives in the same module, in another instance, or
//! behind a facade: the resolver already turned every import into its final
//! definition, and an import bound that way is a plain `call` of the
//! callee's symbol with the callee instance's vmctx as an argument. So a
//! small callee can be inlined like any other function: Cranelift's inliner
//! splices the callee's CLIF into the caller, its vmctx parameter becomes
//! the (link-time constant) vmctx argument, and the usual optimisations then
//! see through the boundary.
//!
//! The work happens in two steps. [`InlineCandidates::new`] translates, once
//! and in parallel, every defined function small enough to be worth
//! inlining and keeps the CLIF of those that qualify ([`qualifies`]). Each
//! caller is then translated as usual and [`InlineCandidates::inline_into`]
//! inlines calls of candidates one at a time, within a budget, before
//! Cranelift compiles it.
//!
//! Trap messages name the Wasm function that trapped, so inlined code must
//! stay attributable: each inlined instruction gets the callee's symbol as
//! its source location, which Cranelift carries through to the machine
//! code; the compile driver turns it into the trap site's origin.
//!
//! What is never inlined: recursive calls, callees with exception handling
//! (their frames take part in unwinding and exception bookkeeping) or tail
//! calls, indirect calls (a dynamic link makes every cross-instance call
//! indirect, so it never inlines), and calls whose signature differs from
//! the callee's.

use crate::compile::{wasm_function, wasm_functions};
use crate::env::SourceEnv;
use crate::symbols::SymbolPlan;
use cranelift_codegen::entity::EntityRef;
use cranelift_codegen::inline::{Inline, InlineCommand};
use cranelift_codegen::ir::{
    ExternalName, FuncRef, Function, GlobalValue, GlobalValueData, Inst, InstructionData, Opcode,
    SourceLoc, Value,
};
use cranelift_codegen::Context;
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use wasmlink_abi::RuntimeFn;
use wasmlink_graph::InstanceGraph;

/// Functions whose Wasm body is longer than this are not translated as
/// candidates at all (a cheap filter before translation).
const MAX_BODY_BYTES: usize = 256;
/// A candidate's CLIF (before optimisation) has at most this many
/// instructions.
pub const MAX_CALLEE_INSTS: usize = 60;
/// At most this many call sites are inlined into one function…
const MAX_SITES_PER_CALLER: usize = 32;
/// …adding at most this many instructions in total, so a function made of
/// many small calls does not grow without bound (compile time is
/// superlinear in function size).
const MAX_ADDED_INSTS: usize = 600;

/// A function that may be inlined.
struct Candidate {
    /// Its CLIF, before optimisation.
    func: Function,
    /// Its number of instructions (what inlining it adds).
    size: usize,
    /// Whether it calls anything.
    calls: bool,
}

/// Every function that may be inlined, by function symbol.
pub(crate) struct InlineCandidates {
    bodies: HashMap<usize, Candidate>,
}

impl InlineCandidates {
    /// Translate the small defined functions of `graph` and keep those
    /// that qualify. A function that fails to translate is simply not a
    /// candidate: its own compile job reports the error.
    pub fn new(graph: &InstanceGraph, plan: &SymbolPlan, envs: &[SourceEnv]) -> InlineCandidates {
        let exceptions = exception_functions(plan);
        let small: Vec<(usize, u32)> = wasm_functions(graph)
            .filter(|&(source, index)| {
                let m = &graph.sources[source].module;
                let body = &m.bodies[(index - m.num_imported_funcs) as usize];
                body.range.len() <= MAX_BODY_BYTES
            })
            .collect();
        let bodies = small
            .par_iter()
            .filter_map(|&(source, index)| {
                let sym = plan.defined_func(graph, source, index);
                let name = graph.func_display_name(source, index);
                let func = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    wasm_function(&envs[source], sym, index, &name)
                }))
                .ok()?
                .ok()?;
                qualifies(&func, &exceptions).then(|| {
                    let candidate = Candidate {
                        size: inst_count(&func),
                        calls: makes_calls(&func),
                        func,
                    };
                    (sym, candidate)
                })
            })
            .collect();
        InlineCandidates { bodies }
    }

    /// Inline calls of candidates into `func` (function symbol `caller`),
    /// one site per pass so each inlined body can be labelled with its
    /// origin, until the budget is spent or no call qualifies. Returns the
    /// number of sites inlined.
    pub fn inline_into(
        &self,
        func: Function,
        caller: usize,
    ) -> Result<(Function, usize), cranelift_codegen::CodegenError> {
        if self.bodies.is_empty() {
            return Ok((func, 0));
        }
        let mut ctx = Context::for_function(func);
        let mut sites = 0;
        let mut added = 0;
        while sites < MAX_SITES_PER_CALLER {
            let before = ctx.func.dfg.num_insts();
            let globals_before = ctx.func.global_values.len();
            let mut pick = OneSite {
                candidates: self,
                caller,
                budget: MAX_ADDED_INSTS - added,
                chosen: None,
            };
            ctx.inline(&mut pick)?;
            let Some((callee, size)) = pick.chosen else {
                break;
            };
            // Instructions are numbered in creation order, so those the
            // inliner just made are the ones past `before`.
            let loc = SourceLoc::new(callee as u32 + 1);
            for k in before..ctx.func.dfg.num_insts() {
                ctx.func.set_srcloc(Inst::from_u32(k as u32), loc);
            }
            rename_symbols(&mut ctx.func, &self.bodies[&callee].func, globals_before);
            sites += 1;
            added += size;
        }
        if sites > 0 {
            merge_global_values(&mut ctx.func);
        }
        Ok((ctx.func, sites))
    }
}

/// Cranelift's inliner copies the callee's global values after the
/// caller's (from `first` on) but leaves the name of a symbol as the
/// callee's *reference* into its own table of names, which means another
/// name in the caller's. Point each at the caller's entry for the same
/// name.
fn rename_symbols(func: &mut Function, callee: &Function, first: usize) {
    for (k, data) in callee.global_values.values().enumerate() {
        let GlobalValueData::Symbol {
            name: ExternalName::User(r),
            ..
        } = data
        else {
            continue;
        };
        let name = callee.params.user_named_funcs()[*r].clone();
        let renamed = func.declare_imported_user_function(name);
        if let GlobalValueData::Symbol {
            name: ExternalName::User(slot),
            ..
        } = &mut func.global_values[GlobalValue::from_u32((first + k) as u32)]
        {
            *slot = renamed;
        }
    }
}

/// Each inlined body brings its own global values, so one symbol (an
/// instance's vmctx, where its memory base is read) is named by several,
/// and Cranelift computes the address and loads the base once per inlined
/// body, each held in a register of its own through a loop. Point every
/// use at the first global value with the same definition: the addresses
/// and the read-only loads through them then merge.
fn merge_global_values(func: &mut Function) {
    let mut canonical: Vec<GlobalValue> = Vec::with_capacity(func.global_values.len());
    let mut firsts: Vec<(GlobalValueData, GlobalValue)> = Vec::new();
    for (gv, data) in func.global_values.iter() {
        let mut data = data.clone();
        if let GlobalValueData::Load { base, .. } | GlobalValueData::IAddImm { base, .. } =
            &mut data
        {
            *base = canonical.get(base.index()).copied().unwrap_or(*base);
        }
        let first = match firsts.iter().find(|(d, _)| *d == data) {
            Some(&(_, first)) => first,
            None => {
                firsts.push((data, gv));
                gv
            }
        };
        canonical.push(first);
    }
    if canonical.iter().enumerate().all(|(i, c)| c.index() == i) {
        return;
    }
    let insts: Vec<Inst> = (func.layout.blocks())
        .flat_map(|b| func.layout.block_insts(b))
        .collect();
    for inst in insts {
        if let InstructionData::UnaryGlobalValue { global_value, .. } = &mut func.dfg.insts[inst] {
            *global_value = canonical[global_value.index()];
        }
    }
    if let Some(limit) = func.stack_limit {
        func.stack_limit = Some(canonical[limit.index()]);
    }
}

/// The function an instruction was inlined from, from the source location
/// [`InlineCandidates::inline_into`] gave it (`None`: the function's own).
pub fn origin_of(loc: SourceLoc) -> Option<usize> {
    (!loc.is_default()).then(|| loc.bits() as usize - 1)
}

/// An [`Inline`] policy that inlines the first qualifying call it is shown
/// and keeps every other call.
struct OneSite<'a> {
    candidates: &'a InlineCandidates,
    caller: usize,
    budget: usize,
    /// The callee inlined in this pass, and its size.
    chosen: Option<(usize, usize)>,
}

impl Inline for OneSite<'_> {
    fn inline(
        &mut self,
        caller: &Function,
        _inst: Inst,
        opcode: Opcode,
        callee: FuncRef,
        _args: &[Value],
    ) -> InlineCommand<'_> {
        if self.chosen.is_some() || !matches!(opcode, Opcode::Call | Opcode::TryCall) {
            return InlineCommand::KeepCall;
        }
        let Some(sym) = callee_symbol(caller, callee) else {
            return InlineCommand::KeepCall;
        };
        let Some(candidate) = self.candidates.bodies.get(&sym) else {
            return InlineCommand::KeepCall;
        };
        let size = candidate.size;
        let signature = caller.dfg.ext_funcs[callee].signature;
        if sym == self.caller
            || size > self.budget
            || caller.dfg.signatures[signature] != candidate.func.signature
            || (opcode == Opcode::TryCall && candidate.calls)
        {
            // Under exception handlers, the callee's calls would become
            // the caller's: a call of a C-convention function may then keep
            // the handlers' vmctx in a callee-saved register, where the
            // unwinder cannot find it.
            return InlineCommand::KeepCall;
        }
        self.chosen = Some((sym, size));
        InlineCommand::Inline {
            callee: Cow::Borrowed(&candidate.func),
            visit_callee: false,
        }
    }
}

/// The function symbol a `FuncRef` of `func` names (every function of a
/// program is `UserExternalName { namespace: 0, index: symbol }`).
fn callee_symbol(func: &Function, callee: FuncRef) -> Option<usize> {
    match &func.dfg.ext_funcs[callee].name {
        ExternalName::User(r) => {
            let name = &func.params.user_named_funcs()[*r];
            (name.namespace == 0).then_some(name.index as usize)
        }
        _ => None,
    }
}

fn makes_calls(func: &Function) -> bool {
    func.layout.blocks().any(|b| {
        func.layout
            .block_insts(b)
            .any(|i| func.dfg.insts[i].opcode().is_call())
    })
}

fn inst_count(func: &Function) -> usize {
    func.layout
        .blocks()
        .map(|b| func.layout.block_insts(b).count())
        .sum()
}

/// The runtime functions of exception handling: a function that calls one
/// throws, catches or keeps an exception, and its frame must stay a frame.
fn exception_functions(plan: &SymbolPlan) -> HashSet<usize> {
    [
        RuntimeFn::ExceptionNew,
        RuntimeFn::ExceptionDone,
        RuntimeFn::ExceptionHold,
        RuntimeFn::ExceptionRelease,
        RuntimeFn::Throw,
    ]
    .into_iter()
    .filter_map(|f| plan.runtime_symbol(f))
    .collect()
}

/// Whether translated function `func` may be inlined: small, no exception
/// handling, no tail calls.
fn qualifies(func: &Function, exception_fns: &HashSet<usize>) -> bool {
    if inst_count(func) > MAX_CALLEE_INSTS {
        return false;
    }
    func.layout.blocks().all(|b| {
        func.layout
            .block_insts(b)
            .all(|inst| match func.dfg.insts[inst] {
                InstructionData::Call {
                    opcode: Opcode::Call,
                    func_ref,
                    ..
                } => callee_symbol(func, func_ref).is_none_or(|s| !exception_fns.contains(&s)),
                InstructionData::CallIndirect {
                    opcode: Opcode::CallIndirect,
                    ..
                } => true,
                ref data => !data.opcode().is_call() && data.opcode() != Opcode::StackSwitch,
            })
    })
}
