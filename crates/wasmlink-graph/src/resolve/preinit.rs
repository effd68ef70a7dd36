//! Pre-initialisation (the README's "Pre-initialisation"): the manifest's
//! `preinit` or the command line turns it on, optionally naming an export
//! of the entry instance to call after instantiation (`wizer.initialize`).
//! That export must be a function without parameters or results.

use crate::display::list;
use crate::error::GraphError;
use crate::instance_graph::IndexRef;
use crate::manifest::PreinitSpec;
use crate::report::{PreinitRequest, ResolvedGraph};
use wasmlink_module::{describe_extern_type, ExternKind, ExternType};

/// Record the pre-initialisation `spec` asks for in `resolved`, with its
/// init export resolved.
pub(super) fn resolve(
    resolved: &mut ResolvedGraph,
    spec: Option<&PreinitSpec>,
) -> Result<(), GraphError> {
    let Some(spec) = spec else {
        return Ok(());
    };
    // A snapshot holds memories, globals and tables; a GC heap's objects
    // (and references to them) cannot be written into an executable.
    if let Some(s) = resolved
        .graph
        .sources
        .iter()
        .position(|s| s.module.defines_gc_types())
    {
        return Err(GraphError::Preinit {
            message: format!(
                "pre-initialisation: {} defines Wasm GC struct or array types, and a snapshot cannot hold GC objects; build without pre-initialisation",
                resolved.source_labels[s]
            ),
        });
    }
    let init = match &spec.export {
        None => None,
        Some(name) => {
            let graph = &resolved.graph;
            let i = graph.entry.instance;
            let inst = &graph.instances[i];
            let m = graph.module(i);
            let shown = format!(
                "instance \"{}\" ({})",
                inst.name, resolved.source_labels[inst.source]
            );
            let err = |message: String| GraphError::Preinit { message };
            let Some(e) = m.export(name) else {
                return Err(err(format!(
                    "pre-initialisation: the entry's {shown} has no export \"{name}\" to call after instantiation; it exports: {}{}",
                    list(m.exports.iter().map(|e| &e.name)),
                    crate::suggest::did_you_mean(name, m.exports.iter().map(|e| &e.name))
                )));
            };
            let ty = m.extern_type(e.kind, e.index);
            match &ty {
                ExternType::Func(f) if e.kind == ExternKind::Func && f.params().is_empty() && f.results().is_empty() => {
                    Some((IndexRef { instance: i, index: e.index }, name.clone()))
                }
                _ => {
                    return Err(err(format!(
                        "pre-initialisation: {shown} exports \"{name}\" as {}, but the init export must be a function without parameters or results",
                        describe_extern_type(&ty)
                    )))
                }
            }
        }
    };
    resolved.preinit = Some(PreinitRequest { init });
    Ok(())
}
