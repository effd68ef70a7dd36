//! Building a test graph with the real wasmlink pipeline and running it:
//! caller, callee, one generated adapter per function, the flags and trap
//! provider modules, wired by a manifest; the executable's output is what
//! the tests compare.

use crate::modules::{Case, INTERFACE};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use wasmlink::{build_executable, load_graph, BuildOptions, Destination, LoadOptions};
use wasmlink_adapter::{
    generate, provider, AdapterSpec, CalleeOptions, CallerOptions, FuncType, ImportRole,
};

/// What a run printed.
#[derive(Debug)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
    pub status: i32,
}

/// Component instance numbers used by the tests.
pub const CALLER_INSTANCE: u32 = 0;
pub const CALLEE_INSTANCE: u32 = 1;

/// One adapter in a graph: which node calls through it, for which
/// function, with which options.
pub struct Link {
    /// The adapter node's name.
    pub node: String,
    pub spec: AdapterSpec,
    /// The caller node (memory, `cabi_realloc`).
    pub caller: String,
    /// The callee node and the name of its lifted export.
    pub callee: String,
    pub export: String,
    pub post_return: Option<String>,
}

impl Link {
    /// `caller` calls `name` of `callee` through `test:t/api`, a `func()`
    /// between instances 0 and 1 (tests replace the spec as they need).
    pub fn interface_named(name: &str) -> Link {
        Link {
            node: format!("adapter-{name}"),
            spec: AdapterSpec::new(
                FuncType::default(),
                CallerOptions {
                    instance: Some(CALLER_INSTANCE),
                    ..CallerOptions::default()
                },
                CalleeOptions {
                    instance: CALLEE_INSTANCE,
                    ..CalleeOptions::default()
                },
            ),
            caller: "caller".into(),
            callee: "callee".into(),
            export: format!("{INTERFACE}#{name}"),
            post_return: None,
        }
    }

    /// The usual shape: `caller` calls `name` of `callee` through
    /// `test:t/api`.
    pub fn interface(case: &Case, name: &str, ty: FuncType, post_return: bool) -> Link {
        Link {
            node: format!("adapter-{name}"),
            spec: AdapterSpec::new(
                ty,
                CallerOptions {
                    string_encoding: case.caller_enc,
                    instance: Some(CALLER_INSTANCE),
                },
                CalleeOptions {
                    string_encoding: case.callee_enc,
                    instance: CALLEE_INSTANCE,
                    post_return,
                },
            ),
            caller: "caller".into(),
            callee: "callee".into(),
            export: format!("{INTERFACE}#{name}"),
            post_return: post_return.then(|| format!("cabi_post_{INTERFACE}#{name}")),
        }
    }
}

/// A graph to build: named module sources (WAT text or binary), extra
/// manifest instance entries, adapters.
#[derive(Default)]
pub struct Graph {
    pub wat: Vec<(String, String)>,
    pub wasm: Vec<(String, Vec<u8>)>,
    pub links: Vec<Link>,
    /// `(instance, import module, function, adapter node)`: which imports
    /// go through which adapter.
    pub calls: Vec<(String, String, String, String)>,
    /// Extra `imports` entries of instances: `(instance, module, target)`.
    pub imports: Vec<(String, String, String)>,
    pub entry: String,
    pub flags_instances: u32,
}

impl Graph {
    /// The standard graph of a generated case.
    pub fn of_case(case: &Case) -> Graph {
        let mut g = Graph {
            entry: "caller".into(),
            flags_instances: 2,
            ..Graph::default()
        };
        g.wat.push(("caller".into(), crate::modules::caller(case)));
        g.wat.push(("callee".into(), crate::modules::callee(case)));
        for f in &case.funcs {
            let link = Link::interface(case, &f.name, f.ty.clone(), true);
            g.calls.push((
                "caller".into(),
                INTERFACE.into(),
                f.name.clone(),
                link.node.clone(),
            ));
            g.links.push(link);
        }
        let report = Link::interface(case, "report", FuncType::default(), false);
        g.calls.push((
            "caller".into(),
            INTERFACE.into(),
            "report".into(),
            report.node.clone(),
        ));
        g.links.push(report);
        g
    }

    /// Write everything to `dir` and return the manifest's path.
    pub fn write(&self, dir: &Path) -> PathBuf {
        let mut sources = Vec::new();
        for (name, text) in &self.wat {
            std::fs::write(dir.join(format!("{name}.wat")), text).expect("write wat");
            sources.push(format!("\"{name}\": \"{name}.wat\""));
        }
        let mut wasm = self.wasm.clone();
        wasm.push(("flags".into(), provider::flags_module(self.flags_instances)));
        wasm.push(("traps".into(), provider::trap_module()));
        for link in &self.links {
            let adapter = generate(&link.spec).unwrap_or_else(|e| panic!("{}: {e}", link.node));
            wasm.push((link.node.clone(), adapter.bytes));
        }
        for (name, bytes) in &wasm {
            std::fs::write(dir.join(format!("{name}.wasm")), bytes).expect("write wasm");
            sources.push(format!("\"{name}\": \"{name}.wasm\""));
        }
        let mut instances = String::new();
        // Callers' imports through adapters, plus extra imports.
        let mut per_instance: Vec<(String, Vec<String>)> = Vec::new();
        let mut entry_for =
            |inst: &str, item: String| match per_instance.iter_mut().find(|(n, _)| n == inst) {
                Some((_, items)) => items.push(item),
                None => per_instance.push((inst.to_string(), vec![item])),
            };
        let mut modules: Vec<(String, String, Vec<String>)> = Vec::new();
        for (inst, module, func, node) in &self.calls {
            let target = format!(
                "\"{func}\": \"{node}.{}\"",
                wasmlink_adapter::contract::EXPORT
            );
            match modules
                .iter_mut()
                .find(|(i, m, _)| i == inst && m == module)
            {
                Some((_, _, items)) => items.push(target),
                None => modules.push((inst.clone(), module.clone(), vec![target])),
            }
        }
        for (inst, module, items) in modules {
            entry_for(&inst, format!("\"{module}\": {{ {} }}", items.join(", ")));
        }
        for (inst, module, target) in &self.imports {
            entry_for(inst, format!("\"{module}\": {target}"));
        }
        for link in &self.links {
            let adapter = generate(&link.spec).expect("generated above");
            let mut caller = Vec::new();
            let mut callee = Vec::new();
            for import in &adapter.imports {
                match import.role {
                    ImportRole::CallerMemory => {
                        caller.push(format!("\"memory\": \"{}.memory\"", link.caller))
                    }
                    ImportRole::CallerRealloc => {
                        caller.push(format!("\"realloc\": \"{}.cabi_realloc\"", link.caller))
                    }
                    ImportRole::CalleeMemory => {
                        callee.push(format!("\"memory\": \"{}.memory\"", link.callee))
                    }
                    ImportRole::CalleeRealloc => {
                        callee.push(format!("\"realloc\": \"{}.cabi_realloc\"", link.callee))
                    }
                    ImportRole::CalleeFunction => {
                        callee.push(format!("\"function\": \"{}.{}\"", link.callee, link.export))
                    }
                    ImportRole::CalleePostReturn => callee.push(format!(
                        "\"post-return\": \"{}.{}\"",
                        link.callee,
                        link.post_return.as_deref().expect("post-return named")
                    )),
                    _ => {}
                }
            }
            let mut items = vec![
                format!("\"flags\": \"flags\""),
                format!("\"wasmlink:adapter\": \"{}\"", self.intrinsics_node()),
            ];
            if !caller.is_empty() {
                items.push(format!("\"caller\": {{ {} }}", caller.join(", ")));
            }
            items.push(format!("\"callee\": {{ {} }}", callee.join(", ")));
            entry_for(&link.node, items.join(", "));
        }
        for (inst, items) in &per_instance {
            let _ = writeln!(
                instances,
                "    \"{inst}\": {{ \"source\": \"{}\", \"imports\": {{ {} }} }},",
                self.source_of(inst),
                items.join(", ")
            );
        }
        let instances = instances.trim_end().trim_end_matches(',').to_string();
        let manifest = format!(
            "{{\n  \"sources\": {{ {} }},\n  \"instances\": {{\n{instances}\n  }},\n  \"entry\": \"{}\"\n}}\n",
            sources.join(", "),
            self.entry
        );
        let path = dir.join("app.json");
        std::fs::write(&path, manifest).expect("write manifest");
        path
    }

    /// The node that provides `wasmlink:adapter` (the trap provider, or a
    /// module of the test's own named `intrinsics`).
    fn intrinsics_node(&self) -> &str {
        if self.wat.iter().any(|(n, _)| n == "intrinsics") {
            "intrinsics"
        } else {
            "traps"
        }
    }

    /// An instance's source: instances are named after their sources.
    fn source_of<'a>(&self, inst: &'a str) -> &'a str {
        inst
    }
}

/// Build `graph` in a fresh temporary directory with the library pipeline
/// and run the executable.
pub fn build_and_run(graph: &Graph) -> Output {
    let dir = tempfile::tempdir().expect("temporary directory");
    let manifest = graph.write(dir.path());
    let resolved = load_graph(&manifest, &LoadOptions::default())
        .unwrap_or_else(|e| panic!("resolving {}: {e}", manifest.display()));
    let exe = dir.path().join("app");
    let destination = Destination::check(&exe, &resolved.input_files).expect("output path");
    build_executable(&resolved.graph, &BuildOptions::default(), &destination)
        .unwrap_or_else(|e| panic!("building: {e}"));
    let out = Command::new(&exe)
        .current_dir(dir.path())
        .env_clear()
        .output()
        .expect("run the executable");
    if std::env::var_os("KEEP_ADAPTER_TESTS").is_some() {
        let kept = dir.keep();
        eprintln!("kept in {}", kept.display());
    }
    Output {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        status: out.status.code().unwrap_or(-1),
    }
}

/// Run a generated case and compare with its expected output.
pub fn check_case(case: &Case) {
    let out = build_and_run(&Graph::of_case(case));
    let expected = crate::modules::expected(case);
    assert_eq!(out.stderr, "", "stderr");
    assert_eq!(out.status, 0, "status; stdout:\n{}", out.stdout);
    if out.stdout != expected {
        panic!("{}", diff(&expected, &out.stdout));
    }
}

/// The first differing lines.
pub fn diff(expected: &str, actual: &str) -> String {
    let mut msg = String::from("output differs\n");
    for (i, (e, a)) in expected.lines().zip(actual.lines()).enumerate() {
        if e != a {
            let _ = writeln!(msg, "line {}:\n  expected: {e}\n  actual:   {a}", i + 1);
            return msg;
        }
    }
    let _ = writeln!(
        msg,
        "one output is a prefix of the other ({} vs {} lines)\nexpected:\n{expected}\nactual:\n{actual}",
        expected.lines().count(),
        actual.lines().count()
    );
    msg
}
