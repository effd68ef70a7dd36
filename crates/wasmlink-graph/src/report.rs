//! Printing a resolved graph: a text report and Graphviz DOT.
//! Both are deterministic: instances in instantiation order, imports in
//! module order.

use crate::instance_graph::{Binding, WasiArgs, WasiEnv};
use crate::resolve::{Edge, EdgeTarget, ResolvedGraph};
use std::fmt::Write;
use wasmlink_module::describe_extern_type;

fn target_text(g: &ResolvedGraph, e: &Edge) -> String {
    match e.target {
        EdgeTarget::Builtin(b) => format!("{}.{} (builtin)", b.module, b.name),
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
/// `runtime_flags` says whether the executable applies `WASMLINK_FLAGS`.
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
                    crate::HopKind::Facade => "facade",
                    crate::HopKind::Namespace => "namespace",
                    crate::HopKind::Reexport => "re-export",
                };
                let _ = write!(line, "{what} {} -> ", h.text());
            }
            line.push_str(&target_text(g, e));
            out.push_str(&line);
            out.push('\n');
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
                    s.module.exports.iter().find(|e| {
                        e.kind == wasmlink_module::ExternKind::Func && e.index == entry.func
                    })
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
    let mut builtin_modules: Vec<&str> = Vec::new();
    for inst in &g.graph.instances {
        for b in &inst.imports {
            if let Binding::Builtin(b) = b {
                if !builtin_modules.contains(&b.module) {
                    builtin_modules.push(b.module);
                }
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
                        crate::HopKind::Namespace => h.text(),
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
