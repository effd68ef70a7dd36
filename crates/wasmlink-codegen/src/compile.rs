//! The parallel compile driver: one job per generated function, run on
//! rayon's pool and collected in symbol order. Each job runs Cranelift's
//! mid-end, then four passes of its own on the optimised function
//! (`twin_inductions`: induction variables that step together share one
//! register; `continue_edge`: a loop's `continue` edge gets its own copy
//! of the latch; `remat`: constants in every block that needs them;
//! `reassociate`: long sums regrouped for latency), then Cranelift's
//! lowering (`finish::compile_context`).

mod continue_edge;
mod finish;
mod reassociate;
mod remat;
mod twin_inductions;

pub(crate) use finish::compile_context;
use finish::finish;

use crate::devirt::StaticTables;
use crate::env::{
    entry_block, install_stack_limit, wasm_signature, FuncEnv, ImportCall, SourceEnv,
};
use crate::harness;
use crate::inline::InlineCandidates;
use crate::instantiate::{instantiate_function, program_start_function};
use crate::layout::VmLayout;
use crate::program::{CompiledFunction, Program};
use crate::reach::{dead_code_function, Reachable};
use crate::statics::static_data;
use crate::symbols::{harness_exports, source_is_instantiated, SymbolPlan, TypeIds};
use crate::translate::translate_function;
use crate::wpo::Optimizations;
use crate::CodegenError;
use cranelift_codegen::ir::{Function, UserFuncName};
use cranelift_codegen::isa::{OwnedTargetIsa, TargetIsa};
use cranelift_codegen::settings::{self, Configurable};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use rayon::prelude::*;
use std::str::FromStr;
use wasmlink_graph::{shown_name, Binding, FuncTarget, InstanceGraph, SourceId};
use wasmlink_module::ExternKind;

/// How cross-instance calls are made.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LinkMode {
    /// Every resolved edge is a direct call to the callee's symbol.
    #[default]
    Static,
    /// Every cross-instance call goes through the importer's funcref slots,
    /// as a runtime that instantiates modules would do.
    Dynamic,
}

/// Knobs of the compile stage.
#[derive(Default)]
pub struct CompileOptions<'a> {
    pub link: LinkMode,
    /// Whole-program optimisations; only a static link uses them (see
    /// [`CompileOptions::optimizations`]).
    pub wpo: Optimizations,
    /// Called once per compiled function (from worker threads) with the
    /// total number of functions being compiled.
    pub progress: Option<&'a (dyn Fn(usize) + Sync)>,
    /// Build for the spec-test harness (see [`crate::harness`]) instead of
    /// running an entry.
    pub harness: bool,
    /// Pre-initialisation: an ordinary build, the snapshot program, or a
    /// build from a snapshot (see [`crate::initial`]).
    pub preinit: crate::initial::Preinit,
}

impl CompileOptions<'_> {
    /// The optimisations in effect (see [`Optimizations::for_link`]).
    pub fn optimizations(&self) -> Optimizations {
        self.wpo.for_link(self.link)
    }
}

/// The code generator's target: x86-64 Linux with SSE4.2 and POPCNT (the
/// x86-64-v2 level). It is fixed rather than detected so the same input
/// gives the same executable on every build machine.
pub fn target_isa() -> Result<OwnedTargetIsa, CodegenError> {
    let err = |e: &dyn std::fmt::Display| CodegenError::Isa(e.to_string());
    let mut flags = settings::builder();
    flags.set("opt_level", "speed").map_err(|e| err(&e))?;
    flags.set("is_pic", "true").map_err(|e| err(&e))?;
    // Cranelift's x64 tail calls rely on frame pointers.
    flags
        .set("preserve_frame_pointers", "true")
        .map_err(|e| err(&e))?;

    let verify = if cfg!(debug_assertions) {
        "true"
    } else {
        "false"
    };
    flags.set("enable_verifier", verify).map_err(|e| err(&e))?;
    let triple =
        target_lexicon::Triple::from_str("x86_64-unknown-linux-gnu").map_err(|e| err(&e))?;
    let mut isa = cranelift_codegen::isa::lookup(triple).map_err(|e| err(&e))?;
    for feature in [
        "has_sse3",
        "has_ssse3",
        "has_sse41",
        "has_sse42",
        "has_popcnt",
    ] {
        isa.enable(feature).map_err(|e| err(&e))?;
    }
    isa.finish(settings::Flags::new(flags)).map_err(|e| err(&e))
}

/// What every generated function of a graph is compiled against: the
/// symbol numbering, the canonical signature ids and each source's vmctx
/// layout.
pub(crate) struct GraphPlan {
    pub plan: SymbolPlan,
    pub type_ids: TypeIds,
    pub layouts: Vec<VmLayout>,
}

impl GraphPlan {
    pub fn new(
        graph: &InstanceGraph,
        harness: bool,
        preinit: &crate::initial::Preinit,
        live: Option<&Reachable>,
    ) -> GraphPlan {
        GraphPlan {
            plan: SymbolPlan::with_preinit(graph, harness, preinit, live),
            type_ids: TypeIds::new(graph),
            layouts: graph
                .sources
                .iter()
                .map(|s| VmLayout::new(&s.module))
                .collect(),
        }
    }
}

/// Every defined Wasm function that is compiled, as (source, function
/// index), in symbol order (code of a source nobody instantiates is not).
pub(crate) fn wasm_functions(graph: &InstanceGraph) -> impl Iterator<Item = (SourceId, u32)> + '_ {
    graph
        .sources
        .iter()
        .enumerate()
        .filter(|(s, _)| source_is_instantiated(graph, *s))
        .flat_map(|(s, source)| {
            let m = &source.module;
            (m.num_imported_funcs..m.funcs.len() as u32).map(move |index| (s, index))
        })
}

/// What one compile job produces.
enum Job {
    Wasm {
        source: SourceId,
        index: u32,
    },
    BuiltinWrapper {
        source: SourceId,
        import_index: u32,
        func: usize,
    },
    LoweredWrapper {
        source: SourceId,
        import_index: u32,
        func: usize,
    },
    ReallocTrampoline {
        source: SourceId,
        index: u32,
        func: usize,
    },
    DeadCode {
        func: usize,
    },
    Instantiate {
        instance: usize,
    },
    ThreadStart {
        instance: usize,
        func: usize,
    },
    ProgramStart,
    HostInstantiate {
        instance: usize,
    },
    Invoke {
        k: usize,
        instance: usize,
        index: u32,
    },
}

/// Compile every function of `graph` and lay out its static state.
pub fn compile_graph(
    graph: &InstanceGraph,
    isa: &dyn TargetIsa,
    options: &CompileOptions,
) -> Result<Program, CodegenError> {
    let opts = options.optimizations();
    let analysis = GraphAnalysis::new(graph, opts, options.harness, &options.preinit);
    let (state, live) = (&analysis.state, analysis.live.as_ref());
    let plan = &state.plan;
    let envs = analysis.source_envs(graph, isa, options.link, opts);
    let candidates = opts
        .inline
        .then(|| InlineCandidates::new(graph, plan, &envs));
    let wpo = WholeProgram {
        opts,
        candidates: candidates.as_ref(),
    };

    // Dead functions have no code: one function stands in for them all.
    let mut jobs: Vec<Job> = wasm_functions(graph)
        .filter(|&(source, index)| plan.has_code(graph, source, index))
        .map(|(source, index)| Job::Wasm { source, index })
        .collect();
    if let Some(func) = plan.dead_code {
        jobs.push(Job::DeadCode { func });
    }
    for ((source, import_index), func) in plan.builtin_wrappers() {
        jobs.push(Job::BuiltinWrapper {
            source,
            import_index,
            func,
        });
    }
    for ((source, import_index), func) in plan.lowered_wrappers() {
        jobs.push(Job::LoweredWrapper {
            source,
            import_index,
            func,
        });
    }
    for ((source, index), func) in plan.realloc_trampolines() {
        jobs.push(Job::ReallocTrampoline {
            source,
            index,
            func,
        });
    }
    for instance in 0..graph.instances.len() {
        jobs.push(Job::Instantiate { instance });
    }
    jobs.push(Job::ProgramStart);
    for (instance, t) in plan.thread_instances() {
        jobs.push(Job::ThreadStart {
            instance,
            func: t.start,
        });
    }
    if options.harness {
        for instance in 0..graph.instances.len() {
            jobs.push(Job::HostInstantiate { instance });
        }
        let exports = harness_exports(graph, ExternKind::Func);
        for (k, (instance, index, _)) in exports.into_iter().enumerate() {
            jobs.push(Job::Invoke { k, instance, index });
        }
    }

    let total = jobs.len();
    let code = jobs
        .par_iter()
        .map(|job| {
            // A panic here is a compiler bug; report it as an error that
            // names the job instead of tearing down the process.
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                compile_job(graph, plan, &envs, isa, job, options, &wpo, total)
            }))
            .unwrap_or_else(|payload| {
                Err(CodegenError::Internal {
                    job: describe_job(graph, job),
                    message: panic_message(payload.as_ref()),
                })
            })
        })
        .collect::<Result<Vec<_>, _>>()?;

    let data = static_data(graph, plan, &state.type_ids, &state.layouts, live);
    Ok(Program {
        functions: plan.functions.clone(),
        data,
        code,
    })
}

pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_string()
    }
}

fn describe_job(graph: &InstanceGraph, job: &Job) -> String {
    match *job {
        Job::Wasm { source, index }
        | Job::BuiltinWrapper {
            source,
            import_index: index,
            ..
        }
        | Job::LoweredWrapper {
            source,
            import_index: index,
            ..
        } => graph.func_display_name(source, index),
        Job::ReallocTrampoline { source, index, .. } => {
            format!("{}::<realloc>", graph.func_display_name(source, index))
        }
        Job::Instantiate { instance } | Job::HostInstantiate { instance } => {
            format!("instantiation of {}", graph.instances[instance].name)
        }
        Job::ThreadStart { instance, .. } => {
            format!("thread start of {}", graph.instances[instance].name)
        }
        Job::Invoke {
            instance, index, ..
        } => graph.func_display_name(graph.instances[instance].source, index),
        Job::DeadCode { .. } => "<dead code>".to_string(),
        Job::ProgramStart => "<program start>".to_string(),
    }
}

/// What the whole-program optimisations `opts` know of a graph before
/// any function is translated, each analysis built on the one before:
/// what is live (`dead-code`), the symbol plan, then the tables whose
/// contents are known (`devirtualize`).
pub(crate) struct GraphAnalysis {
    pub live: Option<Reachable>,
    pub state: GraphPlan,
    pub tables: Option<StaticTables>,
    /// The memory `fixed-state` places at the fixed address.
    pub fixed_memory: Option<(usize, u32)>,
}

impl GraphAnalysis {
    pub fn new(
        graph: &InstanceGraph,
        opts: Optimizations,
        harness: bool,
        preinit: &crate::initial::Preinit,
    ) -> GraphAnalysis {
        let live = opts
            .dead_code
            .then(|| Reachable::with_roots(graph, harness, &preinit.roots()));
        let state = GraphPlan::new(graph, harness, preinit, live.as_ref());
        let tables = opts
            .devirtualize
            .then(|| StaticTables::new(graph, &state.plan, &state.type_ids, harness));
        let fixed_memory = crate::fixed_state::fixed_memory(graph, &state.plan, harness);
        GraphAnalysis {
            live,
            state,
            tables,
            fixed_memory,
        }
    }

    /// The translation environment of every source, for link mode `link`
    /// with optimisations `opts` (see [`CompileOptions::optimizations`]).
    pub fn source_envs<'a>(
        &'a self,
        graph: &'a InstanceGraph,
        isa: &'a dyn TargetIsa,
        link: LinkMode,
        opts: Optimizations,
    ) -> Vec<SourceEnv<'a>> {
        let plan = &self.state.plan;
        let layouts = &self.state.layouts;
        // Code of a source an instance of which spawns threads also runs
        // in instances made at run time: it must reach everything through
        // its vmctx parameter.
        let mut spawning = vec![false; graph.sources.len()];
        for (instance, _) in plan.thread_instances() {
            spawning[graph.instances[instance].source] = true;
        }
        (0..graph.sources.len())
            .map(|s| {
                let mut instances =
                    (0..graph.instances.len()).filter(|i| graph.instances[*i].source == s);
                let only = match (instances.next(), instances.next()) {
                    (Some(i), None) if !spawning[s] => Some(i),
                    _ => None,
                };
                SourceEnv {
                    graph,
                    source: s,
                    module: &graph.sources[s].module,
                    layout: &layouts[s],
                    plan,
                    type_ids: &self.state.type_ids,
                    isa,
                    import_calls: import_calls(graph, plan, s, link),
                    layouts,
                    fixed_vmctx: only.filter(|_| opts.fixed_state).map(|i| plan.vmctx(i)),
                    static_tables: self.tables.as_ref().filter(|_| opts.devirtualize),
                    only_instance: only,
                    fixed_stack_limit: !spawning[s],
                    live: self.live.as_ref(),
                    fixed_memory: self.fixed_memory.filter(|_| opts.fixed_state),
                    vmctx_free: if only.is_some() && opts.fixed_state {
                        crate::fixed_state::vmctx_free_functions(&graph.sources[s].module)
                    } else {
                        Vec::new()
                    },
                }
            })
            .collect()
    }
}

/// The whole-program optimisations applied to each Wasm function after
/// translation.
pub(crate) struct WholeProgram<'a> {
    pub opts: Optimizations,
    /// With `inline`: the functions that may be inlined.
    pub candidates: Option<&'a InlineCandidates>,
}

impl WholeProgram<'_> {
    /// Translate defined function `index` of `env`'s source (symbol `sym`)
    /// and apply the optimisations that work on its CLIF.
    pub fn wasm_function(
        &self,
        env: &SourceEnv,
        sym: usize,
        index: u32,
        name: &str,
    ) -> Result<Function, CodegenError> {
        let mut func = wasm_function(env, sym, index, name)?;
        if let Some(candidates) = self.candidates {
            func = candidates
                .inline_into(func, sym)
                .map_err(|e| CodegenError::Compile {
                    function: name.to_string(),
                    message: format!("inlining: {e:?}"),
                })?
                .0;
        }
        if env.is_vmctx_free(index) {
            // No vmctx, so no Cranelift stack check: the limit cell is read
            // at its link-time address (fixed-state implies a source that
            // never runs in an instance made at run time).
            let small_leaves = self.opts.stack_checks;
            crate::stack_checks::fixed_check(&mut func, env.plan.stack_limit, small_leaves);
        } else {
            install_stack_limit(&mut func, env.layout.stack_limit);
            if self.opts.stack_checks {
                let cell = env.fixed_stack_limit.then_some(env.plan.stack_limit);
                crate::stack_checks::cheapen(&mut func, cell);
            }
        }
        Ok(func)
    }
}

/// Build and compile the function of one job.
#[allow(clippy::too_many_arguments)]
fn compile_job(
    graph: &InstanceGraph,
    plan: &SymbolPlan,
    envs: &[SourceEnv],
    isa: &dyn TargetIsa,
    job: &Job,
    options: &CompileOptions,
    wpo: &WholeProgram,
    total: usize,
) -> Result<CompiledFunction, CodegenError> {
    let (func, sym, name) = match *job {
        Job::Wasm { source, index } => {
            let sym = plan.defined_func(graph, source, index);
            let name = graph.func_display_name(source, index);
            let func = wpo.wasm_function(&envs[source], sym, index, &name)?;
            (func, sym, name)
        }
        Job::BuiltinWrapper {
            source,
            import_index,
            func,
        } => {
            let name = graph.func_display_name(source, import_index);
            (
                builtin_wrapper(&envs[source], func, import_index),
                func,
                name,
            )
        }
        Job::LoweredWrapper {
            source,
            import_index,
            func,
        } => {
            let name = graph.func_display_name(source, import_index);
            (
                crate::lowered::lowered_wrapper(&envs[source], func, import_index),
                func,
                name,
            )
        }
        Job::ReallocTrampoline {
            source,
            index,
            func,
        } => {
            let name = format!("{}::<realloc>", graph.func_display_name(source, index));
            (
                crate::lowered::realloc_trampoline(graph, plan, isa, func, source, index),
                func,
                name,
            )
        }
        Job::DeadCode { func } => (dead_code_function(isa, func), func, "<dead code>".into()),
        Job::Instantiate { instance } => {
            let source = graph.instances[instance].source;
            let sym = plan.instantiate(instance);
            let name = format!(
                "{}::<instantiate>",
                shown_name(&graph.instances[instance].name)
            );
            (
                instantiate_function(&envs[source], instance, sym),
                sym,
                name,
            )
        }
        Job::ThreadStart { instance, func } => {
            let source = graph.instances[instance].source;
            let name = format!(
                "{}::<thread start>",
                shown_name(&graph.instances[instance].name)
            );
            let f = crate::threads::thread_start_function(&envs[source], instance, func);
            (f, func, name)
        }
        Job::HostInstantiate { instance } => {
            let name = format!(
                "{}::<host instantiate>",
                shown_name(&graph.instances[instance].name)
            );
            let f = harness::host_instantiate(plan, instance, isa);
            (f, plan.harness.instantiate[instance], name)
        }
        Job::Invoke { k, instance, index } => {
            let name = format!(
                "<invoke {}>",
                graph.func_display_name(graph.instances[instance].source, index)
            );
            let f = harness::invoke_trampoline(graph, plan, k, instance, index, isa);
            (f, plan.harness.invoke[k], name)
        }
        Job::ProgramStart => {
            let name = "<program start>".to_string();
            (
                program_start_function(graph, plan, isa),
                plan.program_start,
                name,
            )
        }
    };
    let compiled = finish(isa, func, sym, name);
    if let Some(progress) = options.progress {
        progress(total);
    }
    compiled
}

/// How each imported function of `source` is called (see [`ImportCall`]).
fn import_calls(
    graph: &InstanceGraph,
    plan: &SymbolPlan,
    source: SourceId,
    link: LinkMode,
) -> Vec<ImportCall> {
    let m = &graph.sources[source].module;
    let instances: Vec<usize> = (0..graph.instances.len())
        .filter(|i| graph.instances[*i].source == source)
        .collect();
    (0..m.num_imported_funcs)
        .map(|f| {
            let mut targets = instances.iter().map(|i| graph.resolve_func(*i, f));
            let Some(first) = targets.next() else {
                return ImportCall::Indirect;
            };
            let agree = targets.all(|t| t == first);
            match first {
                FuncTarget::Builtin(b) if agree => ImportCall::Builtin(b),
                FuncTarget::Lowered(l) => {
                    // The options may differ per instance (they are read
                    // from the caller's context); the function may not.
                    let same = instances.iter().all(|i| {
                        matches!(graph.resolve_func(*i, f), FuncTarget::Lowered(o) if o.func == l.func)
                    });
                    if same {
                        ImportCall::Lowered(l.func)
                    } else {
                        ImportCall::Indirect
                    }
                }
                FuncTarget::Defined(r) if agree && link == LinkMode::Static => {
                    let callee_source = graph.instances[r.instance].source;
                    ImportCall::Direct {
                        func: plan.defined_func(graph, callee_source, r.index),
                        vmctx: plan.vmctx(r.instance),
                    }
                }
                _ => ImportCall::Indirect,
            }
        })
        .collect()
}

/// The CLIF of defined Wasm function `index` (symbol `sym`), before
/// Cranelift's optimisations and without a stack check (which
/// [`WholeProgram::wasm_function`] adds; an inline candidate needs none).
pub(crate) fn wasm_function(
    env: &SourceEnv,
    sym: usize,
    index: u32,
    name: &str,
) -> Result<Function, CodegenError> {
    let m = env.module;
    let mut func =
        Function::with_name_signature(UserFuncName::user(0, sym as u32), env.func_signature(index));
    let body = m.body(index);
    let mut fenv = FuncEnv::new(env);
    translate_function(&mut fenv, &mut func, index, body).map_err(|message| {
        CodegenError::Translate {
            function: name.to_string(),
            message,
        }
    })?;
    Ok(func)
}

/// A function with the wasm calling convention that forwards to a builtin,
/// so a builtin import can be stored in a table or called dynamically.
fn builtin_wrapper(env: &SourceEnv, sym: usize, import_index: u32) -> Function {
    let m = env.module;
    let slot = env.graph.import_slot(
        first_instance(env.graph, env.source),
        ExternKind::Func,
        import_index,
    );
    let builtin = env
        .graph
        .instances
        .iter()
        .filter(|i| i.source == env.source)
        .find_map(|i| match i.imports[slot] {
            Binding::Builtin(b) => Some(b),
            _ => None,
        })
        .expect("a wrapper is planned only for builtin-bound imports");
    if builtin.is_thread_spawn() {
        return crate::threads::spawn_wrapper(env, sym, import_index, builtin);
    }
    let mut func = Function::with_name_signature(
        UserFuncName::user(0, sym as u32),
        wasm_signature(m.func_type(import_index)),
    );
    let mut ctx = FunctionBuilderContext::new();
    let mut builder = FunctionBuilder::new(&mut func, &mut ctx);
    let params = entry_block(&mut builder);
    let mut fenv = FuncEnv::new(env);
    let args = fenv.enter(&mut builder, m.func_type(import_index), &params);
    install_stack_limit(builder.func, env.layout.stack_limit);
    let results = fenv.call_builtin(&mut builder, builtin, &args);
    fenv.emit_return(&mut builder, &results);
    builder.finalize(env.isa.frontend_config());
    func
}

fn first_instance(graph: &InstanceGraph, source: SourceId) -> usize {
    graph
        .instances
        .iter()
        .position(|i| i.source == source)
        .expect("only instantiated sources are compiled")
}
