//! Whether `wasmtime run` can run the same graph, and how: the entry
//! instance as the main module, every other instance as a `--preload
//! NAME=FILE` under the import module name its importers use, in an order
//! where each is instantiated after what it imports. wasmtime's linker
//! binds imports by module and export name only, so a graph that needs
//! more — a facade, a renamed or re-routed import, one source instantiated
//! twice, an import cycle — cannot be expressed that way, and [`plan`]
//! says why.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use wasmlink_graph::{
    EdgeTarget, HopKind, InstanceId, ResolvedGraph, WasiArgs, WasiEnv, WASI_MODULE,
};
use wasmlink_module::ExternKind;

/// How wasmtime runs the graph.
#[derive(Debug, PartialEq)]
pub enum Plan {
    /// Core modules: each instance's module compiled on its own.
    Modules {
        /// `(import module name, instance)` in instantiation order; the
        /// entry instance is not among them.
        preloads: Vec<(String, InstanceId)>,
        entry: InstanceId,
        /// `--invoke NAME` when the entry is not `_start`.
        invoke: Option<String>,
        /// `wasmtime run` flags for the WASI settings and features (`-W`
        /// flags are also given to `wasmtime compile`).
        flags: RunFlags,
        /// The program's arguments when the manifest fixes them (its
        /// `argv[0]` is a flag): replaces the user's.
        fixed_args: Option<Vec<String>>,
    },
    /// A component given as the input: wasmtime runs the file itself.
    Component { file: PathBuf, flags: RunFlags },
}

/// Flags of `wasmtime compile` and `wasmtime run`.
#[derive(Debug, Default, PartialEq)]
pub struct RunFlags {
    /// `-W …`: features, needed by compile and run alike.
    pub features: Vec<OsString>,
    /// `-S …`, `--env`, `--dir`, `--argv0`: run only.
    pub wasi: Vec<OsString>,
}

/// The plan for `resolved` (read from `input`), or why there is none.
pub fn plan(resolved: &ResolvedGraph, input: &Path) -> Result<Plan, String> {
    let graph = &resolved.graph;
    let is_manifest = input
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let mut flags = wasi_flags(resolved)?;
    if graph.sources.iter().any(|s| !s.module.tags.is_empty()) {
        flags.features.extend(["-W".into(), "exceptions=y".into()]);
    }
    // Wasm GC types (struct or array definitions) need wasmtime's GC.
    if graph.sources.iter().any(|s| s.module.defines_gc_types()) {
        flags
            .features
            .extend(["-W".into(), "gc=y,function-references=y".into()]);
    }
    if !resolved.components.is_empty() {
        if is_manifest {
            let names: Vec<&str> = resolved
                .components
                .iter()
                .map(|c| c.name.as_str())
                .collect();
            return Err(format!(
                "the manifest instantiates components ({}); wasmtime runs one component file, not a manifest of them",
                names.join(", ")
            ));
        }
        return Ok(Plan::Component {
            file: input.to_path_buf(),
            flags,
        });
    }
    let name = |i: InstanceId| graph.instances[i].name.as_str();

    // One instance per source: a preloaded module is instantiated once.
    let mut by_source: BTreeMap<usize, Vec<InstanceId>> = BTreeMap::new();
    for (i, inst) in graph.instances.iter().enumerate() {
        by_source.entry(inst.source).or_default().push(i);
    }
    if let Some((s, insts)) = by_source.iter().find(|(_, v)| v.len() > 1) {
        let names: Vec<&str> = insts.iter().map(|&i| name(i)).collect();
        return Err(format!(
            "source \"{}\" has several instances ({}); wasmtime instantiates a module once per --preload name and the main module once",
            graph.sources[*s].name,
            names.join(", ")
        ));
    }

    // Every import must be found by its module and export name: the
    // module name is the node the importer names, which must be the
    // instance that exports the item under the imported name.
    let mut imported_as: BTreeMap<InstanceId, String> = BTreeMap::new();
    let mut node_of: BTreeMap<&str, InstanceId> = BTreeMap::new();
    let mut needs: Vec<Vec<InstanceId>> = vec![Vec::new(); graph.instances.len()];
    for e in &resolved.edges {
        let what = format!(
            "instance \"{}\" imports {}.{}",
            name(e.instance),
            e.module,
            e.name
        );
        let (node, looked_up) = match e.target {
            EdgeTarget::Builtin(b) => {
                if b.module != WASI_MODULE {
                    return Err(format!(
                        "{what}, bound to {}.{}, which `wasmtime run` does not provide",
                        b.module, b.name
                    ));
                }
                if !e.via.is_empty() || e.module != b.module || e.name != b.name {
                    return Err(format!(
                        "{what}, bound to {}.{} under another name",
                        b.module, b.name
                    ));
                }
                continue;
            }
            EdgeTarget::Lowered(b) => {
                return Err(format!(
                    "{what}, the WASI 0.2 function {}.{}: `wasmtime run` gives core modules WASI preview 1 only",
                    b.interface, b.name
                ));
            }
            EdgeTarget::Item { instance, .. } => match e.via.first() {
                None => (instance, e.export.as_str()),
                Some(hop) if hop.kind == HopKind::Reexport => {
                    let Some(node) = graph.instances.iter().position(|i| i.name == hop.node) else {
                        return Err(format!("{what} through \"{}\", not an instance", hop.node));
                    };
                    (node, hop.name.as_str())
                }
                Some(hop) => {
                    return Err(format!(
                        "{what} through the facade \"{}\"; wasmtime has no facades",
                        hop.node
                    ));
                }
            },
        };
        if looked_up != e.name {
            return Err(format!(
                "{what}, which is instance \"{}\"'s export \"{looked_up}\" (a rename)",
                name(node)
            ));
        }
        if let Some(&other) = node_of.get(e.module.as_str()) {
            if other != node {
                return Err(format!(
                    "import module \"{}\" names instance \"{}\" for one importer and \"{}\" for another",
                    e.module,
                    name(other),
                    name(node)
                ));
            }
        }
        node_of.insert(&e.module, node);
        match imported_as.get(&node) {
            Some(m) if *m != e.module => {
                return Err(format!(
                    "instance \"{}\" is imported both as \"{m}\" and as \"{}\"",
                    name(node),
                    e.module
                ));
            }
            _ => {
                imported_as.insert(node, e.module.clone());
            }
        }
        needs[e.instance].push(node);
    }

    let entry = graph.entry.instance;
    if imported_as.contains_key(&entry) {
        return Err(format!(
            "the entry instance \"{}\" is imported by another instance; wasmtime instantiates the main module last",
            name(entry)
        ));
    }
    let order: Vec<InstanceId> = graph
        .order
        .iter()
        .copied()
        .filter(|&i| i != entry)
        .chain([entry])
        .collect();
    let mut preloads: Vec<(String, InstanceId)> = Vec::new();
    for (pos, &i) in order.iter().enumerate() {
        if let Some(&later) = needs[i].iter().find(|n| !order[..pos].contains(n)) {
            return Err(format!(
                "instances \"{}\" and \"{}\" import from each other (a cycle); wasmtime instantiates preloaded modules one after another",
                name(i),
                name(later)
            ));
        }
        if i == entry {
            continue;
        }
        if graph.module(i).export("_start").is_some() {
            return Err(format!(
                "instance \"{}\" exports _start: wasmtime would make a new instance of a preloaded command for every call",
                name(i)
            ));
        }
        let as_name = imported_as
            .get(&i)
            .cloned()
            .unwrap_or_else(|| name(i).to_string());
        if as_name.contains('=') {
            return Err(format!(
                "import module name \"{as_name}\" holds '=', which --preload cannot say"
            ));
        }
        if preloads.iter().any(|(n, _)| *n == as_name) {
            return Err(format!("two instances would be preloaded as \"{as_name}\""));
        }
        preloads.push((as_name, i));
    }

    let module = graph.module(entry);
    let Some(export) = module
        .exports
        .iter()
        .find(|x| x.kind == ExternKind::Func && x.index == graph.entry.func)
    else {
        return Err(format!(
            "the entry of instance \"{}\" is not one of its exports",
            name(entry)
        ));
    };
    let invoke = (export.name != "_start").then(|| export.name.clone());
    let fixed_args = match &graph.wasi.args {
        WasiArgs::Inherit => None,
        WasiArgs::Fixed(_) if invoke.is_some() => {
            return Err(
                "the manifest fixes the arguments of an entry that takes parameters".into(),
            );
        }
        WasiArgs::Fixed(list) => {
            let Some((first, rest)) = list.split_first() else {
                return Err(
                    "the manifest gives the program no argv[0], which wasmtime always passes"
                        .into(),
                );
            };
            flags.wasi.extend(["--argv0".into(), first.into()]);
            Some(rest.to_vec())
        }
    };
    Ok(Plan::Modules {
        preloads,
        entry,
        invoke,
        flags,
        fixed_args,
    })
}

/// The WASI settings of the graph as `wasmtime run` flags.
fn wasi_flags(resolved: &ResolvedGraph) -> Result<RunFlags, String> {
    let wasi = &resolved.graph.wasi;
    let mut flags = RunFlags::default();
    match &wasi.env {
        WasiEnv::Inherit => flags.wasi.extend(["-S".into(), "inherit-env=y".into()]),
        WasiEnv::None => {}
        WasiEnv::Fixed(vars) => {
            for (k, v) in vars {
                flags
                    .wasi
                    .extend(["--env".into(), format!("{k}={v}").into()]);
            }
        }
    }
    for (guest, host) in &wasi.preopens {
        if host.contains("::") {
            return Err(format!(
                "the preopened host path \"{host}\" holds \"::\", which --dir cannot say"
            ));
        }
        flags
            .wasi
            .extend(["--dir".into(), format!("{host}::{guest}").into()]);
    }
    if wasi.inherit_network {
        flags.wasi.extend(["-S".into(), "inherit-network=y".into()]);
    }
    if wasi.allow_ip_name_lookup {
        flags
            .wasi
            .extend(["-S".into(), "allow-ip-name-lookup=y".into()]);
    }
    Ok(flags)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan_of(relative: &str) -> Result<Plan, String> {
        let input = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(relative);
        let resolved = wasmlink_graph::load_graph(&input, &Default::default())
            .unwrap_or_else(|e| panic!("{relative}: {e}"));
        plan(&resolved, &input)
    }

    #[test]
    fn imports_by_module_and_name_become_preloads() {
        let Ok(Plan::Modules {
            preloads,
            invoke,
            fixed_args,
            flags,
            ..
        }) = plan_of("bench/wpo/alloc.json")
        else {
            panic!("alloc.json is expressible");
        };
        let names: Vec<&str> = preloads.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["alloc", "worker"]);
        assert_eq!(invoke.as_deref(), Some("run"));
        assert_eq!(fixed_args, None);
        // Manifests inherit the environment unless they say otherwise.
        assert_eq!(flags.wasi, ["-S", "inherit-env=y"]);
        assert!(flags.features.is_empty());
    }

    #[test]
    fn what_wasmtime_cannot_link_is_explained() {
        let cases = [
            ("bench/wpo/facade.json", "through the facade \"api\""),
            (
                "examples/facade/app.json",
                "source \"counter\" has several instances (a, b)",
            ),
            (
                "examples/graph/app.json",
                "names instance \"even\" for one importer and \"odd\" for another",
            ),
            (
                "examples/components/app.json",
                "the manifest instantiates components",
            ),
        ];
        for (input, reason) in cases {
            match plan_of(input) {
                Err(e) => assert!(e.contains(reason), "{input}: {e}"),
                Ok(p) => panic!("{input}: {p:?}"),
            }
        }
    }

    #[test]
    fn preopens_and_a_start_entry() {
        let Ok(Plan::Modules { invoke, flags, .. }) = plan_of("examples/wc/app.json") else {
            panic!("wc is expressible");
        };
        assert_eq!(invoke, None);
        let wasi: Vec<String> = flags
            .wasi
            .iter()
            .map(|f| f.to_string_lossy().into_owned())
            .collect();
        assert!(wasi.windows(2).any(|w| w[0] == "--dir"), "{wasi:?}");
    }

    #[test]
    fn an_import_cycle_is_named() {
        let dir = tempfile::tempdir().expect("tempdir");
        let files = [
            (
                "a.wat",
                r#"(module (import "b" "g" (func)) (func (export "f")))"#,
            ),
            (
                "b.wat",
                r#"(module (import "a" "f" (func)) (func (export "g")))"#,
            ),
            (
                "main.wat",
                r#"(module (import "a" "f" (func)) (func (export "_start")))"#,
            ),
            (
                "app.json",
                r#"{ "sources": { "a": "a.wat", "b": "b.wat", "main": "main.wat" }, "entry": "main" }"#,
            ),
        ];
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).expect("write");
        }
        let input = dir.path().join("app.json");
        let resolved =
            wasmlink_graph::load_graph(&input, &Default::default()).expect("the graph resolves");
        let e = plan(&resolved, &input).expect_err("a cycle");
        assert!(e.contains("import from each other (a cycle)"), "{e}");
    }
}
