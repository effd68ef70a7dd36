//! The resolved graph as the resolve stage reports it: [`ResolvedGraph`]
//! (the graph plus every import's [`Edge`], with the [`Hop`]s passed on
//! the way to its definition), and its two printed forms, a text report
//! and Graphviz DOT. Both are deterministic: instances in instantiation
//! order, imports in module order.

use crate::builtins::Builtin;
use crate::instance_graph::{Binding, IndexRef, InstanceGraph, InstanceId, WasiArgs, WasiEnv};
use crate::lowered::LoweredBuiltin;
use std::fmt::Write;
use std::path::PathBuf;
use wasmlink_module::{describe_extern_type, ExternKind, ExternType};

/// The result of the resolve stage: the graph for the compile stage, plus
/// what the report needs to print it.
#[derive(Clone, Debug)]
pub struct ResolvedGraph {
    pub graph: InstanceGraph,
    /// Every import of every instance, by instance then import order.
    pub edges: Vec<Edge>,
    /// For each source, how messages and reports name its file: the path as
    /// written in the manifest (relative to the manifest), `inline wat`.
    pub source_labels: Vec<String>,
    /// Every file read: the manifest (if any) and every module file, used
    /// or not. A build must not write its output over one of them.
    pub input_files: Vec<PathBuf>,
    /// The component instances, whose core instances are in `graph`.
    pub components: Vec<ComponentReport>,
    /// Pre-initialisation, when the manifest or the options ask for it.
    pub preinit: Option<PreinitRequest>,
}

/// A build with pre-initialisation: what runs at build time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PreinitRequest {
    /// The init export to call after instantiation: a function (no
    /// parameters, no results) of the entry instance, by its index there,
    /// and the export's name.
    pub init: Option<(IndexRef, String)>,
}

/// One instance of a component, for reports: its boundary (the core
/// instances it became) and its interfaces.
#[derive(Clone, Debug, PartialEq)]
pub struct ComponentReport {
    pub name: String,
    /// `source "app" (app.wat)`.
    pub source: String,
    /// Its core instances, in instantiation order.
    pub core_instances: Vec<InstanceId>,
    /// `wasi:cli/stdout@0.2.0: instance`, one per import.
    pub imports: Vec<String>,
    /// `run: func(x: s32) -> s32 = app/main.run`, one per exported
    /// function (instance exports as `iface#func`).
    pub exports: Vec<String>,
}

/// One resolved import, for reports.
#[derive(Clone, Debug, PartialEq)]
pub struct Edge {
    /// The importing instance.
    pub instance: InstanceId,
    /// Position in the importing module's `imports`.
    pub import: usize,
    pub module: String,
    pub name: String,
    /// The type the import declares.
    pub ty: ExternType,
    /// Facades, namespaces and re-exporting instances passed on the way.
    pub via: Vec<Hop>,
    pub target: EdgeTarget,
    /// The name the defining instance exports the target under (the
    /// builtin's name for builtins).
    pub export: String,
}

/// One step between an import and its definition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hop {
    pub kind: HopKind,
    /// The node passed (facade or instance name).
    pub node: String,
    /// The name looked up in it (export or namespace).
    pub name: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HopKind {
    /// A facade export (`node.name`).
    Facade,
    /// A facade namespace (`node/name`).
    Namespace,
    /// An instance export that is one of its own imports (`node.name`).
    Reexport,
}

impl Hop {
    /// `api.add`, `api/ns`.
    pub fn text(&self) -> String {
        match self.kind {
            HopKind::Namespace => format!("{}/{}", self.node, self.name),
            _ => format!("{}.{}", self.node, self.name),
        }
    }

    /// `through facade "api" → instance "a", ` (empty for no hops).
    pub(crate) fn render(hops: &[Hop]) -> String {
        if hops.is_empty() {
            return String::new();
        }
        let parts: Vec<String> = hops
            .iter()
            .map(|h| match h.kind {
                HopKind::Facade => format!("facade \"{}\"", h.node),
                HopKind::Namespace => format!("namespace \"{}/{}\"", h.node, h.name),
                HopKind::Reexport => {
                    format!(
                        "instance \"{}\" (re-exporting its import as \"{}\")",
                        h.node, h.name
                    )
                }
            })
            .collect();
        format!("through {}, ", parts.join(" → "))
    }
}

/// The final definition an edge is bound to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EdgeTarget {
    /// Item `index` (of kind `kind`) defined by `instance`.
    Item {
        instance: InstanceId,
        kind: ExternKind,
        index: u32,
    },
    Builtin(&'static Builtin),
    /// A lowered WASI 0.2 function of the runtime.
    Lowered(&'static LoweredBuiltin),
}

// ---------------------------------------------------------------------------
// Printing.

fn target_text(g: &ResolvedGraph, e: &Edge) -> String {
    match e.target {
        EdgeTarget::Builtin(b) => format!("{}.{} (builtin)", b.module, b.name),
        EdgeTarget::Lowered(b) if b.interface.starts_with("wasmlink:") => {
            format!("{}.{} (runtime)", b.interface, b.name)
        }
        EdgeTarget::Lowered(b) => format!("{}.{} (builtin, WASI 0.2)", b.interface, b.name),
        EdgeTarget::Item { instance, .. } => {
            let name = g
                .graph
                .instances
                .get(instance)
                .map(|i| i.name.as_str())
                .unwrap_or("?");
            format!("{name}.{}", e.export)
        }
    }
}

fn source_text(g: &ResolvedGraph, source: usize) -> String {
    let name = g
        .graph
        .sources
        .get(source)
        .map(|s| s.name.as_str())
        .unwrap_or("?");
    let label = g
        .source_labels
        .get(source)
        .map(String::as_str)
        .unwrap_or("?");
    format!("source \"{name}\" ({label})")
}

/// A readable report:
///
/// ```text
/// instances, in instantiation order:
///   math: source "math" (lib/math.wat)
///   main: source "app" (app.wasm)
///     env.add (func (i32, i32) -> (i32)) -> math.add
///     api.write (func (i32, i32, i32, i32) -> (i32)) -> facade api.write -> wasi_snapshot_preview1.fd_write (builtin)
/// entry: main._start
/// wasi: args inherit; env inherit; preopens "." => "."; runtime_flags true
/// ```
///
/// `runtime_flags` says whether the executable applies `WASMLINK_FLAGS`;
/// `inherit_network true` and `allow_ip_name_lookup true` follow when the
/// manifest allows them (the network is denied otherwise), and
/// `max_threads N` when some instance binds `wasi.thread-spawn`. Each
/// preopened directory of embedded files follows on a line of its own:
/// `embed "/data" <= "assets": 3 files, 2 directories, 1 symlink, 120 bytes`.
pub fn render_text(g: &ResolvedGraph) -> String {
    let mut out = String::new();
    out.push_str("instances, in instantiation order:\n");
    for &i in &g.graph.order {
        let Some(inst) = g.graph.instances.get(i) else {
            continue;
        };
        let _ = writeln!(out, "  {}: {}", inst.name, source_text(g, inst.source));
        for e in g.edges.iter().filter(|e| e.instance == i) {
            let mut line = format!(
                "    {}.{} ({}) -> ",
                e.module,
                e.name,
                describe_extern_type(&e.ty)
            );
            for h in &e.via {
                let what = match h.kind {
                    HopKind::Facade => "facade",
                    HopKind::Namespace => "namespace",
                    HopKind::Reexport => "re-export",
                };
                let _ = write!(line, "{what} {} -> ", h.text());
            }
            line.push_str(&target_text(g, e));
            out.push_str(&line);
            out.push('\n');
        }
    }
    if !g.components.is_empty() {
        out.push_str("components:\n");
    }
    for c in &g.components {
        let _ = writeln!(out, "  {}: {}", c.name, c.source);
        let cores: Vec<&str> = c
            .core_instances
            .iter()
            .filter_map(|&i| g.graph.instances.get(i).map(|i| i.name.as_str()))
            .collect();
        let cores = if cores.is_empty() {
            "none".to_string()
        } else {
            cores.join(", ")
        };
        let _ = writeln!(out, "    core instances: {cores}");
        for i in &c.imports {
            let _ = writeln!(out, "    import {i}");
        }
        for e in &c.exports {
            let _ = writeln!(out, "    export {e}");
        }
    }
    let entry = g.graph.entry;
    let entry_name = g
        .graph
        .instances
        .get(entry.instance)
        .map(|inst| {
            let f = g
                .graph
                .sources
                .get(inst.source)
                .and_then(|s| {
                    s.module
                        .exports
                        .iter()
                        .find(|e| e.kind == ExternKind::Func && e.index == entry.func)
                })
                .map(|e| e.name.clone())
                .unwrap_or_else(|| format!("func[{}]", entry.func));
            format!("{}.{f}", inst.name)
        })
        .unwrap_or_default();
    let _ = writeln!(out, "entry: {entry_name}");
    let w = &g.graph.wasi;
    let args = match &w.args {
        WasiArgs::Inherit => "inherit".to_string(),
        WasiArgs::Fixed(a) => json_list(a.iter()),
    };
    let env = match &w.env {
        WasiEnv::Inherit => "inherit".to_string(),
        WasiEnv::None => "none".to_string(),
        WasiEnv::Fixed(v) => json_list(v.iter().map(|(k, v)| format!("{k}={v}"))),
    };
    let preopens = if w.preopens.is_empty() {
        "none".to_string()
    } else {
        w.preopens
            .iter()
            .map(|(g, h)| format!("{} => {}", quote(g), quote(h)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let _ = writeln!(
        out,
        "wasi: args {args}; env {env}; preopens {preopens}; runtime_flags {}",
        w.runtime_flags
    );
    if w.inherit_network {
        out.insert_str(out.len() - 1, "; inherit_network true");
    }
    if w.allow_ip_name_lookup {
        out.insert_str(out.len() - 1, "; allow_ip_name_lookup true");
    }
    if g.graph.spawns_threads() {
        let limit = format!("; max_threads {}", w.max_threads);
        out.insert_str(out.len() - 1, &limit);
    }
    for d in &g.graph.embedded.dirs {
        let from: Vec<String> = d
            .from
            .iter()
            .map(|(_, host)| quote(&host.display().to_string()))
            .collect();
        let count =
            |n: u64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let _ = writeln!(
            out,
            "embed {} <= {}: {}, {}, {}, {}",
            quote(&d.guest),
            from.join(", "),
            count(d.files, "file", "files"),
            count(d.dirs, "directory", "directories"),
            count(d.links, "symlink", "symlinks"),
            count(d.bytes, "byte", "bytes"),
        );
    }
    out
}

fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("\"{s}\""))
}

fn json_list<I, S>(items: I) -> String
where
    I: Iterator<Item = S>,
    S: AsRef<str>,
{
    let v: Vec<String> = items.map(|s| quote(s.as_ref())).collect();
    format!("[{}]", v.join(", "))
}

/// A DOT string literal.
fn dot(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Graphviz DOT: one box per instance (labelled with its source), one
/// ellipse per builtin module used, one arrow from importer to definer per
/// pair, labelled with the import names (`module.name`, then `→ export`
/// when the definition's export name differs, and the facades passed).
pub fn render_dot(g: &ResolvedGraph) -> String {
    let mut out = String::new();
    out.push_str("digraph wasmlink {\n  rankdir=LR;\n  node [shape=box];\n");
    for &i in &g.graph.order {
        let Some(inst) = g.graph.instances.get(i) else {
            continue;
        };
        let label = format!("{}\n{}", inst.name, source_text(g, inst.source));
        let _ = writeln!(out, "  i{i} [label={}];", dot(&label));
    }
    // A component's boundary: a cluster around its core instances.
    for (k, c) in g.components.iter().enumerate() {
        let label = format!("component {}\n{}", c.name, c.source);
        let _ = writeln!(
            out,
            "  subgraph cluster_c{k} {{\n    label={};",
            dot(&label)
        );
        for i in &c.core_instances {
            let _ = writeln!(out, "    i{i};");
        }
        out.push_str("  }\n");
    }
    let mut builtin_modules: Vec<&str> = Vec::new();
    for inst in &g.graph.instances {
        for b in &inst.imports {
            let module = match b {
                Binding::Builtin(b) => b.module,
                Binding::Lowered(l) => l.func.interface,
                _ => continue,
            };
            if !builtin_modules.contains(&module) {
                builtin_modules.push(module);
            }
        }
    }
    builtin_modules.sort_unstable();
    for m in &builtin_modules {
        let _ = writeln!(
            out,
            "  {} [shape=ellipse, label={}];",
            dot(&format!("builtin:{m}")),
            dot(&format!("{m}\n(builtin)"))
        );
    }
    // (from, to) → labels, in instantiation order then import order.
    let mut arrows: Vec<(String, String, Vec<String>)> = Vec::new();
    for &i in &g.graph.order {
        for e in g.edges.iter().filter(|e| e.instance == i) {
            let to = match e.target {
                EdgeTarget::Builtin(b) => dot(&format!("builtin:{}", b.module)),
                EdgeTarget::Lowered(b) => dot(&format!("builtin:{}", b.interface)),
                EdgeTarget::Item { instance, .. } => format!("i{instance}"),
            };
            let from = format!("i{i}");
            let mut label = format!("{}.{}", e.module, e.name);
            if e.export != e.name {
                let _ = write!(label, " → {}", e.export);
            }
            if !e.via.is_empty() {
                let mut via: Vec<String> = Vec::new();
                for h in &e.via {
                    let node = match h.kind {
                        HopKind::Namespace => h.text(),
                        _ => h.node.clone(),
                    };
                    if !via.contains(&node) {
                        via.push(node);
                    }
                }
                let _ = write!(label, " (via {})", via.join(", "));
            }
            match arrows.iter_mut().find(|(f, t, _)| *f == from && *t == to) {
                Some((_, _, labels)) => labels.push(label),
                None => arrows.push((from, to, vec![label])),
            }
        }
    }
    for (from, to, labels) in arrows {
        let _ = writeln!(out, "  {from} -> {to} [label={}];", dot(&labels.join("\n")));
    }
    out.push_str("}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve_cases::load;

    #[test]
    fn dot_report() {
        let g = load("report");
        let dot = render_dot(&g);
        assert_eq!(
            dot,
            r#"digraph wasmlink {
  rankdir=LR;
  node [shape=box];
  i1 [label="math\nsource \"math\" (lib/math.wat)"];
  i2 [label="lib\nsource \"lib\" (lib/mem.wat)"];
  i0 [label="main\nsource \"app\" (app.wasm)"];
  "builtin:wasi_snapshot_preview1" [shape=ellipse, label="wasi_snapshot_preview1\n(builtin)"];
  i0 -> i1 [label="env.add"];
  i0 -> "builtin:wasi_snapshot_preview1" [label="api.write → fd_write (via api)"];
  i0 -> i2 [label="lib.mem"];
}
"#
        );
        // Deterministic.
        assert_eq!(render_dot(&load("report")), dot);
    }
}
