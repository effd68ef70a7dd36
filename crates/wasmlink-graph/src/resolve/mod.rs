//! Resolution: turning a manifest (or one module) into an
//! [`InstanceGraph`](crate::instance_graph::InstanceGraph) whose every import is bound to
//! its final definition. The rules are stated here, once; the code and its
//! comments refer to them by number.
//!
//! # Nodes
//!
//! An import module name names a *node*: an explicit instance (manifest
//! order), the implicit instance of a named source (created the first time
//! something names the source), the implicit instance of a file named by a
//! relative specifier (one per canonical path), a facade instance (of a
//! virtual source), or the WASI builtin module. Only real instances (with
//! code) become instances of the graph; facades and the builtin module
//! never survive this stage.
//!
//! # Rules 1–5: which node an import names
//!
//! The import (M, N) of an instance I is resolved by the first rule that
//! matches (the rules the README states under "The manifest"):
//!
//! 1. I's `imports` map: M → node, or M → {N → "node.export"} (names not
//!    listed fall through to rules 2–5);
//! 2. a node named M: an explicit instance, else a source (its implicit
//!    instance); `facade/NS/…` names a namespace of a facade;
//! 3. the builtin `wasi_snapshot_preview1`, wasi-threads' `wasi`
//!    (`thread-spawn`, whose importer must be able to run threads:
//!    `threads.rs`), or a WASI interface
//!    `wasi:PKG/IFACE@0.2.N` (the runtime's lowered WASI 0.2 functions,
//!    any patch N; other versions are a link error naming the import);
//! 4. a relative specifier (`./x.wasm`, `../x.wat`): the file next to I's
//!    source (the manifest's directory for inline and virtual sources). It
//!    must name a `.wasm`/`.wat` file that, symlinks followed, lies inside
//!    the manifest's directory tree (the main module's, manifest-less);
//! 5. otherwise a link error listing the names that were available.
//!
//! A facade's `from` names and the entry are looked up by the same rules,
//! seen from the facade instance (its `imports` map is its rule 1) or from
//! the manifest.
//!
//! # From node to definition
//!
//! The node found is then asked for export N. A real instance answers with
//! its own item, unless the export is one of its imports, which it resolves
//! in turn (a *re-export*); a facade answers with what its binding names,
//! looked up by the rules above; the builtin module answers with a WASI
//! function. Every step passed is a [`Hop`](crate::report::Hop), so every edge ends
//! at a final definition (or a builtin), and the definition's type is
//! checked against the import's with the spec's matching rules. Re-exports
//! or facades that come back to where they started are cycles.
//!
//! Then the entry is resolved, explicit facades are checked (they are
//! instantiated even when unused), and the graph is built with its
//! instantiation order (dependencies first, `order.rs`).
//!
//! # Where each part lives
//!
//! | file | owns |
//! | --- | --- |
//! | `data_read.rs` | a data source's `read` bound to its caller's memory (a generated reader instance) |
//! | `mod.rs` | this overview; the two ways in: [`resolve_manifest`] and the manifest-less [`resolve_module`] |
//! | `lookup.rs` | rules 1–5: `Resolver::route` and `Resolver::lookup_module` |
//! | `relative.rs` | rule 4: relative specifiers, confined to the directory tree |
//! | `facade.rs` | facade scopes and export tables, namespaces |
//! | `exports.rs` | asking a node for an export, re-exports, import cycles, type checks |
//! | `entry.rs` | the entry point |
//! | `component.rs` | instances of components: their core instances, and what the flat component binds their imports to |
//! | `lifted_imports.rs` | core modules importing the core items behind a component's lifted export (script drivers) |
//! | `component_entry.rs` | the entry of a component instance (`wasi:cli/run`, an exported function) |
//! | `build.rs` | import-map checks, resolving everything, the [`ResolvedGraph`] |
//! | `resolver.rs` | the resolver's state and node bookkeeping |
//! | `wasi2.rs` | rule 3 for WASI 0.2 interfaces: versions, functions, a core module's lowering options |
//! | `threads.rs` | rule 3 for `wasi.thread-spawn`: what its importer must export and import |
//! | `preinit.rs` | pre-initialisation: the init export of the entry instance |
//! | `nodes.rs` | the node model and what lookups yield |
//! | `context.rs` | message heads: which question an error belongs to |
//!
//! Files import one another in one direction only: `nodes.rs` and
//! `context.rs` import no sibling, `resolver.rs` imports `nodes.rs`, the
//! rule files import those three (and `entry.rs` imports `lookup.rs`),
//! and `mod.rs` imports `resolver.rs` and `nodes.rs`. The rules are
//! mutually recursive at run time (a facade binding is resolved like an
//! import), so the rule files call one another's methods on `Resolver`
//! without importing one another.

mod adapters;
mod build;
mod component;
mod component_entry;
mod context;
mod data_read;
mod entry;
mod exports;
mod facade;
mod lifted_imports;
mod lookup;
mod nodes;
mod preinit;
mod relative;
mod resolver;
mod resources;
mod threads;
mod wasi2;
mod wiring;

use crate::builtins::WASI_MODULE;
use crate::embed::{read_embeds, EmbedSource};
use crate::error::GraphError;
use crate::input_file::{self, InputKind};
use crate::instance_graph::WasiConfig;
use crate::manifest::{Manifest, PreinitSpec, SourceSpec};
use crate::report::ResolvedGraph;
use crate::sources::{load_file, load_wat};
use indexmap::IndexMap;
use nodes::SourceRef;
use resolver::Resolver;
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// How a graph is loaded, beyond what the input says.
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    /// Replaces the manifest's `entry` (same forms: `"instance"` or
    /// `"instance.export"`). Manifest-less, the default is the module's
    /// file stem (its `_start`).
    pub entry: Option<String>,
    /// Calls this export of the entry instance instead of the entry's own
    /// function (`wasmlink run --invoke NAME`).
    pub invoke: Option<String>,
    /// Replaces the manifest's `wasi` settings. Manifest-less, the default
    /// is args and env inherited and no preopened directories.
    pub wasi: Option<WasiConfig>,
    /// Lets a core module import, from a component instance, the core
    /// items behind one of its lifted exports (`lifted_imports.rs`). A
    /// module doing so calls the export without the canonical ABI's
    /// checks, so only a caller that implements that ABI itself — the
    /// component-model script harness, whose generated drivers lower
    /// arguments and lift results — turns this on.
    pub lifted_core_imports: bool,
    /// Replaces the `max_threads` of the WASI settings (`wasmlink build
    /// --max-threads N`).
    pub max_threads: Option<u32>,
    /// Turns pre-initialisation on (`--preinit`), keeping the manifest's
    /// init export if it names one.
    pub preinit: bool,
    /// Turns pre-initialisation on with this init export
    /// (`--preinit-export NAME`).
    pub preinit_export: Option<String>,
    /// More files and directories to embed, after those of the WASI
    /// settings (`wasmlink build --embed HOST::GUEST`): guest path, host
    /// path as given (relative to the working directory).
    pub embed: Vec<(String, PathBuf)>,
}

/// The pre-initialisation `options` ask for over `base` (the manifest's).
fn preinit_settings(base: Option<&PreinitSpec>, options: &LoadOptions) -> Option<PreinitSpec> {
    match (&options.preinit_export, options.preinit, base) {
        (Some(e), _, _) => Some(PreinitSpec {
            export: Some(e.clone()),
        }),
        (None, true, None) => Some(PreinitSpec::default()),
        (None, _, base) => base.cloned(),
    }
}

/// The WASI settings `options` ask for over `base` (the manifest's).
fn wasi_settings(base: &WasiConfig, options: &LoadOptions) -> WasiConfig {
    let mut wasi = options.wasi.clone().unwrap_or_else(|| base.clone());
    if let Some(n) = options.max_threads {
        wasi.max_threads = n;
    }
    wasi
}

/// Read the files `wasi` and `options` embed into `resolved`: the WASI
/// settings' host paths relative to `base_dir`, the options' as given.
/// Every path read becomes an input of the build.
fn embed(
    resolved: &mut ResolvedGraph,
    base_dir: &Path,
    options: &LoadOptions,
) -> Result<(), GraphError> {
    let wasi = &resolved.graph.wasi;
    let sources: Vec<EmbedSource> = wasi
        .embed
        .iter()
        .map(|(guest, host)| (guest.clone(), base_dir.join(host)))
        .chain(options.embed.iter().cloned())
        .map(|(guest, host)| EmbedSource { guest, host })
        .collect();
    if sources.is_empty() {
        return Ok(());
    }
    let preopens: Vec<String> = wasi.preopens.iter().map(|(g, _)| g.clone()).collect();
    let embedded = read_embeds(&sources, &preopens)?;
    resolved.input_files.extend(embedded.read.iter().cloned());
    resolved.graph.embedded = std::sync::Arc::new(embedded);
    Ok(())
}

/// Resolve a parsed manifest.
pub fn resolve_manifest(
    manifest: &Manifest,
    options: &LoadOptions,
) -> Result<ResolvedGraph, GraphError> {
    manifest.check()?;
    let mut r = Resolver::new(Some(manifest.path.clone()), manifest.base_dir.clone());
    r.lifted_core_imports = options.lifted_core_imports;
    for (name, spec) in &manifest.sources {
        match spec {
            SourceSpec::File(file) => {
                let s = load_file(
                    &format!("source \"{name}\""),
                    name,
                    file,
                    file.clone(),
                    &manifest.base_dir,
                )?;
                r.add_source(name, s);
            }
            SourceSpec::Wat(text) => {
                let s = load_wat(name, text, &manifest.base_dir)?;
                r.add_source(name, s);
            }
            SourceSpec::Virtual(bindings) => {
                r.source_by_name
                    .insert(name.clone(), SourceRef::Virtual(Rc::new(bindings.clone())));
            }
            SourceSpec::Data(spec) => {
                let s = crate::data::load_data(name, spec, &manifest.base_dir)?;
                r.add_source(name, s);
            }
        }
    }
    let mut available: Vec<String> = manifest.instances.keys().cloned().collect();
    for s in manifest.sources.keys() {
        if !available.contains(s) {
            available.push(s.clone());
        }
    }
    r.used_names.extend(available.iter().cloned());
    if !available.iter().any(|n| n == WASI_MODULE) {
        available.push(WASI_MODULE.to_string());
    }
    r.used_names.insert(WASI_MODULE.to_string());
    r.available = available;

    for (name, spec) in &manifest.instances {
        let Some(src) = r.source_by_name.get(&spec.source).cloned() else {
            return Err(GraphError::ManifestNode {
                path: manifest.path.clone(),
                node: name.clone(),
                message: format!(
                    "instance \"{name}\" names source \"{}\", which is not in \"sources\"",
                    spec.source
                ),
            });
        };
        let n = r.add_node(name, &spec.source, &src, spec.imports.clone(), true);
        r.node_by_name.insert(name.clone(), n);
    }

    let entry = match (&options.entry, &manifest.entry) {
        (Some(e), _) | (None, Some(e)) => e.clone(),
        (None, None) => r.default_entry(manifest)?,
    };
    let wasi = wasi_settings(&manifest.wasi, options);
    let mut resolved = r.finish(&entry, options.invoke.as_deref(), wasi)?;
    embed(&mut resolved, &manifest.base_dir, options)?;
    let preinit = preinit_settings(manifest.preinit.as_ref(), options);
    preinit::resolve(&mut resolved, preinit.as_ref())?;
    Ok(resolved)
}

/// The manifest-less form: `path` is the entry module.
pub(crate) fn resolve_module(
    path: &Path,
    options: &LoadOptions,
) -> Result<ResolvedGraph, GraphError> {
    input_file::check(path, InputKind::Module).map_err(|error| GraphError::ReadInput {
        path: path.to_path_buf(),
        error,
    })?;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "main".to_string());
    let file_name = path
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let base_dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut r = Resolver::new(None, base_dir.clone());
    r.lifted_core_imports = options.lifted_core_imports;
    let label = path.display().to_string();
    let s = load_file("input", &stem, &file_name, label, &base_dir)?;
    r.add_source(&stem, s);
    r.available = vec![stem.clone(), WASI_MODULE.to_string()];
    r.used_names.extend(r.available.iter().cloned());
    let src = SourceRef::Real(0);
    let n = r.add_node(&stem, &stem, &src, IndexMap::new(), true);
    r.node_by_name.insert(stem.clone(), n);
    let entry = options.entry.clone().unwrap_or_else(|| stem.clone());
    let wasi = wasi_settings(&WasiConfig::default(), options);
    let mut resolved = r.finish(&entry, options.invoke.as_deref(), wasi)?;
    embed(&mut resolved, &base_dir, options)?;
    preinit::resolve(&mut resolved, preinit_settings(None, options).as_ref())?;
    Ok(resolved)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve_cases::{dir, load_with};
    use crate::{parse_manifest_str, ImportSpec, InstanceSpec, WasiEnv};

    #[test]
    fn wasi_option_overrides_the_manifest() {
        // The case's manifest says `"env": "none"`.
        let options = LoadOptions {
            wasi: Some(WasiConfig::default()),
            ..Default::default()
        };
        let g = load_with("wasi_fixed", &options).unwrap();
        assert_eq!(g.graph.wasi.env, WasiEnv::Inherit);
        assert_eq!(g.graph.wasi, WasiConfig::default());
    }

    #[test]
    fn programmatic_manifests_are_checked_too() {
        // The case's app.wat imports "env" "add".
        let path = dir("map_module_to_missing_node").join("app.json");
        let text = r#"{"sources": {"app": "app.wat"}, "entry": "app"}"#;
        let mut m = parse_manifest_str(text, &path).unwrap();
        m.instances.insert(
            "main".into(),
            InstanceSpec {
                source: "app".into(),
                imports: [(
                    "env".to_string(),
                    ImportSpec::Names(
                        [("add".to_string(), "nodot".to_string())]
                            .into_iter()
                            .collect(),
                    ),
                )]
                .into_iter()
                .collect(),
            },
        );
        let e = resolve_manifest(&m, &LoadOptions::default())
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            r#"instance "main" (app.wat) imports "env" "add" (mapped to "nodot"): no instance, source or builtin is named "nodot" (available: main, app, wasi_snapshot_preview1)"#
        );
        m.instances.insert(
            "x".into(),
            InstanceSpec {
                source: "missing".into(),
                imports: Default::default(),
            },
        );
        assert!(resolve_manifest(&m, &LoadOptions::default()).is_err());
    }
}
