//! Listings of the generated code: for each defined Wasm function of a
//! graph, the CLIF Cranelift optimised or the machine code it emitted, under
//! the function's display name (`source::function`). `wasmlink disas` prints
//! them and `tests/disas` pins them.
//!
//! A listing is made exactly as the build makes the code: the same symbol
//! plan, the same translator, [`target_isa`] (the production ISA and flags)
//! and the same Cranelift entry point ([`compile_context`]). The machine
//! code is Cranelift's own VCode text after register allocation (prologue,
//! epilogue and all), which is deterministic and needs no disassembler.
//! References to other symbols are shown by name — a Wasm function by its
//! display name, anything else by its object symbol — rather than by
//! Cranelift's numbers, which shift whenever a symbol is added.

use crate::compile::{
    compile_context, panic_message, wasm_functions, GraphAnalysis, GraphPlan, WholeProgram,
};
use crate::inline::InlineCandidates;
use crate::traps::trap_of;
use crate::{target_isa, CodegenError, LinkMode, Optimizations};
use cranelift_codegen::ir::{Function, TrapCode, UserExternalName};
use cranelift_codegen::Context;
use rayon::prelude::*;
use std::path::Path;
use wasmlink_graph::{GraphError, InstanceGraph, LoadOptions, ResolvedGraph};
use wasmlink_module::wasmparser::ValType;
use wasmlink_module::ExternKind;

/// What a listing shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ListingFormat {
    /// The CLIF after Cranelift's optimisations (what instruction selection
    /// saw).
    Clif,
    /// The machine code, as Cranelift's VCode text after register
    /// allocation.
    #[default]
    Asm,
}

/// Which functions to list and how.
#[derive(Clone, Debug, Default)]
pub struct ListingOptions {
    pub format: ListingFormat,
    /// How cross-instance calls are linked (as `wasmlink build --link`).
    pub link: LinkMode,
    /// Whole-program optimisations (as `wasmlink build --wpo`; only a
    /// static link uses them).
    pub wpo: Optimizations,
    /// List only functions whose display name contains this text.
    pub function: Option<String>,
}

/// The listing of one function.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FunctionListing {
    /// `source::function`, as trap messages name it.
    pub name: String,
    /// CLIF or machine code, one instruction per line, ending in a newline.
    pub text: String,
    /// Size of the final machine code in bytes, for machine-code listings.
    pub code_size: Option<usize>,
}

/// Load `input` (a manifest, or a `.wasm`/`.wat` module) for a listing.
/// It resolves as for a build, except that a module without `_start` does
/// not need one: its first exported function with numeric parameters is
/// taken as the entry (the entry only decides the program's start code,
/// which is not listed).
pub fn load_graph_for_listing(input: &Path) -> Result<ResolvedGraph, GraphError> {
    let options = LoadOptions {
        invoke: stand_in_entry(input),
        ..LoadOptions::default()
    };
    wasmlink_graph::load_graph(input, &options)
}

/// The export to use as the entry of a manifest-less module without
/// `_start`. `None` leaves the input to the resolver, which reports any
/// problem with it.
fn stand_in_entry(input: &Path) -> Option<String> {
    let ext = input.extension()?.to_str()?.to_ascii_lowercase();
    if ext != "wasm" && ext != "wat" {
        return None;
    }
    let bytes = std::fs::read(input).ok()?;
    let binary = wasmlink_module::parse_wat_or_wasm(&bytes).ok()?;
    let module = wasmlink_module::parse_module(binary).ok()?;
    if module.export("_start").is_some() {
        return None;
    }
    let numeric =
        |t: &ValType| matches!(t, ValType::I32 | ValType::I64 | ValType::F32 | ValType::F64);
    module
        .exports
        .iter()
        .filter(|e| e.kind == ExternKind::Func)
        .find(|e| module.func_type(e.index).params().iter().all(numeric))
        .map(|e| e.name.clone())
}

/// Compile the selected Wasm functions of `graph` with the production
/// settings and return their listings in symbol order (sources in graph
/// order, functions in index order). Functions are compiled in parallel on
/// the current rayon pool.
pub fn list_functions(
    graph: &InstanceGraph,
    options: &ListingOptions,
) -> Result<Vec<FunctionListing>, CodegenError> {
    let isa = target_isa()?;
    let opts = options.wpo.for_link(options.link);
    let analysis = GraphAnalysis::new(graph, opts, false, &crate::initial::Preinit::Off);
    let state = &analysis.state;
    let envs = analysis.source_envs(graph, &*isa, options.link, opts);
    let candidates = opts
        .inline
        .then(|| InlineCandidates::new(graph, &state.plan, &envs));
    let wpo = WholeProgram {
        opts,
        candidates: candidates.as_ref(),
    };
    let selected: Vec<(usize, u32, String)> = wasm_functions(graph)
        .zip(function_names(graph))
        .map(|((source, index), name)| (source, index, name))
        .filter(|(_, _, name)| {
            options
                .function
                .as_deref()
                .is_none_or(|wanted| name.contains(wanted))
        })
        .collect();
    let names = SymbolNames::new(graph, state);
    selected
        .par_iter()
        .map(|(source, index, name)| {
            // As in `compile_graph`: a panic is a compiler bug, reported as
            // an error naming the function.
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                if !state.plan.has_code(graph, *source, *index) {
                    return Ok(FunctionListing {
                        name: name.clone(),
                        text: "not emitted: the program can never run it\n".into(),
                        code_size: (options.format == ListingFormat::Asm).then_some(0),
                    });
                }
                let sym = state.plan.defined_func(graph, *source, *index);
                let func = wpo.wasm_function(&envs[*source], sym, *index, name)?;
                let (text, code_size) = listing(&*isa, func, name, options.format, &names)?;
                Ok(FunctionListing {
                    name: name.clone(),
                    text,
                    code_size: (options.format == ListingFormat::Asm).then_some(code_size),
                })
            }))
            .unwrap_or_else(|payload| {
                Err(CodegenError::Internal {
                    job: name.clone(),
                    message: panic_message(payload.as_ref()),
                })
            })
        })
        .collect()
}

/// The display name of every function [`list_functions`] can list, in its
/// order.
pub fn function_names(graph: &InstanceGraph) -> Vec<String> {
    wasm_functions(graph)
        .map(|(source, index)| graph.func_display_name(source, index))
        .collect()
}

/// All listings as one text: each function under a `function NAME:` line
/// (`function NAME: N bytes` for machine code), its lines indented, one
/// blank line between functions.
pub fn render_listings(listings: &[FunctionListing]) -> String {
    let mut out = String::new();
    for (i, l) in listings.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        match l.code_size {
            Some(size) => out.push_str(&format!("function {}: {size} bytes\n", l.name)),
            None => out.push_str(&format!("function {}:\n", l.name)),
        }
        for line in l.text.lines() {
            if line.is_empty() {
                out.push('\n');
            } else {
                out.push_str(&format!("  {line}\n"));
            }
        }
    }
    out
}

/// Compile `func` and render it in `format`; also the size of its code.
fn listing(
    isa: &dyn cranelift_codegen::isa::TargetIsa,
    func: Function,
    name: &str,
    format: ListingFormat,
    names: &SymbolNames,
) -> Result<(String, usize), CodegenError> {
    let mut ctx = Context::for_function(func);
    ctx.set_disasm(format == ListingFormat::Asm);
    let code = compile_context(isa, &mut ctx, name)?;
    let (vcode, code_size) = (code.vcode.clone(), code.code_buffer().len());
    let user_names = ctx.func.params.user_named_funcs();
    let text = match format {
        ListingFormat::Clif => {
            let clif = trap_names(&ctx.func.display().to_string());
            replace_numbered(&clif, &["u0:", "u1:"], |prefix, n| {
                let namespace = if prefix == "u0:" { 0 } else { 1 };
                names.get(namespace, n)
            })
        }
        ListingFormat::Asm => {
            let vcode = vcode.ok_or_else(|| CodegenError::Internal {
                job: name.to_string(),
                message: "Cranelift returned no disassembly although it was asked for".into(),
            })?;
            replace_numbered(&trap_names(&vcode), &["userextname"], |_, n| {
                let r = cranelift_codegen::ir::UserExternalNameRef::from_u32(n);
                let UserExternalName { namespace, index } = user_names.get(r)?;
                names.get(*namespace, *index)
            })
        }
    };
    Ok((text, code_size))
}

/// `text` with each of wasmlink's trap codes (`user8`) shown as the trap
/// it raises (`user8_undefined_element`).
fn trap_names(text: &str) -> String {
    replace_numbered(text, &["user"], |_, n| {
        let code = TrapCode::user(u8::try_from(n).ok()?)?;
        let trap = trap_of(code)?;
        Some(format!("user{n}_{}", trap.message().replace(' ', "_")))
    })
}

/// How listings name the symbols of a program.
struct SymbolNames {
    /// By function symbol: a Wasm function's display name, else the
    /// object symbol.
    functions: Vec<String>,
    /// By data symbol: the object symbol.
    data: Vec<String>,
}

impl SymbolNames {
    fn new(graph: &InstanceGraph, state: &GraphPlan) -> SymbolNames {
        let mut functions: Vec<String> = state
            .plan
            .functions
            .iter()
            .map(|f| f.name.clone())
            .collect();
        for (source, index) in wasm_functions(graph) {
            let sym = state.plan.defined_func(graph, source, index);
            functions[sym] = graph.func_display_name(source, index);
        }
        SymbolNames {
            functions,
            data: state.plan.data.iter().map(|d| d.name.clone()).collect(),
        }
    }

    /// The name of symbol `index` in `namespace` (0: functions, 1: data).
    fn get(&self, namespace: u32, index: u32) -> Option<String> {
        let table = match namespace {
            0 => &self.functions,
            1 => &self.data,
            _ => return None,
        };
        table.get(index as usize).map(|n| format!("%{n}"))
    }
}

/// Replace every `PREFIXdigits` in `text` (for each prefix, not preceded by
/// a letter, digit or `_`) with `name(prefix, digits)`; occurrences it
/// returns `None` for are kept as they are.
fn replace_numbered(
    text: &str,
    prefixes: &[&str],
    name: impl Fn(&str, u32) -> Option<String>,
) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut prev: Option<char> = None;
    'scan: while !rest.is_empty() {
        let boundary = !prev.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        if boundary {
            for prefix in prefixes {
                let Some(after) = rest.strip_prefix(prefix) else {
                    continue;
                };
                let digits =
                    after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
                let Ok(n) = after[..digits].parse::<u32>() else {
                    continue;
                };
                if let Some(replacement) = name(prefix, n) {
                    out.push_str(&replacement);
                    rest = &after[digits..];
                    prev = Some('0');
                    continue 'scan;
                }
            }
        }
        let c = rest.chars().next().expect("rest is not empty");
        out.push(c);
        prev = Some(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::replace_numbered;

    #[test]
    fn numbered_names_are_replaced_only_as_whole_tokens() {
        let text = "call u0:12, x_u0:3, u0:, u1:7 userextname4";
        let out = replace_numbered(text, &["u0:", "u1:", "userextname"], |p, n| {
            (n != 4).then(|| format!("<{p}{n}>"))
        });
        assert_eq!(out, "call <u0:12>, x_u0:3, u0:, <u1:7> userextname4");
    }
}
