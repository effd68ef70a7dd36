//! Tests of the resolve stage: manifests written into temporary directories
//! with inline WebAssembly text.

use crate::*;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use tempfile::TempDir;

const MATH: &str = r#"(module
  (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
  (func (export "sub") (param i32 i32) (result i32) local.get 0 local.get 1 i32.sub))"#;

const MATH64: &str = r#"(module
  (func (export "add") (param i64 i64) (result i64) local.get 0 local.get 1 i64.add))"#;

const APP: &str = r#"(module
  (import "env" "add" (func (param i32 i32) (result i32)))
  (func (export "_start")))"#;

struct Fx {
    dir: TempDir,
}

impl Fx {
    fn new() -> Fx {
        Fx {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Write a module: `.wasm` files get the binary, others the text.
    fn file(&self, rel: &str, wat: &str) -> &Fx {
        let p = self.path(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        let bytes = if rel.ends_with(".wasm") {
            wasmlink_module::parse_wat_or_wasm(wat.as_bytes()).expect("test wat")
        } else {
            wat.as_bytes().to_vec()
        };
        std::fs::write(p, bytes).expect("write");
        self
    }

    fn raw(&self, rel: &str, text: &str) -> PathBuf {
        let p = self.path(rel);
        std::fs::write(&p, text).expect("write");
        p
    }

    fn load(&self, manifest: Value) -> Result<ResolvedGraph, GraphError> {
        self.load_with(manifest, &LoadOptions::default())
    }

    fn load_with(
        &self,
        manifest: Value,
        options: &LoadOptions,
    ) -> Result<ResolvedGraph, GraphError> {
        let p = self.raw("app.json", &manifest.to_string());
        load_graph(&p, options)
    }

    fn ok(&self, manifest: Value) -> ResolvedGraph {
        match self.load(manifest) {
            Ok(g) => g,
            Err(e) => panic!("unexpected error: {e}"),
        }
    }

    fn err(&self, manifest: Value) -> String {
        match self.load(manifest) {
            Ok(_) => panic!("expected an error"),
            Err(e) => e.to_string(),
        }
    }
}

fn inst(g: &ResolvedGraph, name: &str) -> InstanceId {
    g.graph
        .instances
        .iter()
        .position(|i| i.name == name)
        .unwrap_or_else(|| panic!("no instance {name}"))
}

/// `target` or `hop -> hop -> target` for the import (module, name) of
/// instance `of`; target is `instance.export` or `builtin:name`.
fn bound(g: &ResolvedGraph, of: &str, module: &str, name: &str) -> String {
    let i = inst(g, of);
    let e = g
        .edges
        .iter()
        .find(|e| e.instance == i && e.module == module && e.name == name)
        .unwrap_or_else(|| panic!("no edge {of} {module} {name}"));
    let target = match e.target {
        EdgeTarget::Builtin(b) => format!("builtin:{}", b.name),
        EdgeTarget::Item { instance, .. } => {
            format!("{}.{}", g.graph.instances[instance].name, e.export)
        }
    };
    let mut parts: Vec<String> = e.via.iter().map(|h| h.text()).collect();
    parts.push(target);
    parts.join(" -> ")
}

fn names_in_order(g: &ResolvedGraph) -> Vec<&str> {
    g.graph
        .order
        .iter()
        .map(|&i| g.graph.instances[i].name.as_str())
        .collect()
}

fn importer(module: &str, name: &str, ty: &str) -> String {
    format!(r#"(module (import "{module}" "{name}" {ty}) (func (export "_start")))"#)
}

// ---------------------------------------------------------------------------
// Resolution rules 1–5.

#[test]
fn rule1_module_map_wins_over_node_named_m() {
    let fx = Fx::new();
    fx.file("app.wat", APP)
        .file("math.wat", MATH)
        .file("env.wat", MATH);
    let g = fx.ok(json!({
        "sources": {"app": "app.wat", "math": "math.wat", "env": "env.wat"},
        "instances": {"main": {"source": "app", "imports": {"env": "math"}}},
        "entry": "main"
    }));
    assert_eq!(bound(&g, "main", "env", "add"), "math.add");
    // The source "env" is never named by anything: no instance of it.
    assert!(g.graph.instances.iter().all(|i| i.name != "env"));
    assert_eq!(g.graph.instances.len(), 2);
}

#[test]
fn rule1_per_name_map_and_fall_through() {
    let fx = Fx::new();
    fx.file(
        "app.wat",
        r#"(module
            (import "env" "add" (func (param i32 i32) (result i32)))
            (import "env" "sub" (func (param i32 i32) (result i32)))
            (func (export "_start")))"#,
    )
    .file("math.wat", MATH)
    .file(
        "other.wat",
        r#"(module (func (export "plus") (param i32 i32) (result i32) local.get 0))"#,
    );
    let g = fx.ok(json!({
        "sources": {"app": "app.wat", "env": "math.wat", "other": "other.wat"},
        "instances": {"main": {"source": "app", "imports": {"env": {"add": "other.plus"}}}},
        "entry": "main"
    }));
    // Listed name: rule 1; unlisted name: rule 2 (the source "env").
    assert_eq!(bound(&g, "main", "env", "add"), "other.plus");
    assert_eq!(bound(&g, "main", "env", "sub"), "env.sub");
}

#[test]
fn rule1_per_name_target_with_dotted_node_name() {
    let fx = Fx::new();
    fx.file("app.wat", APP).file(
        "math.wat",
        r#"(module (func (export "a.b") (param i32 i32) (result i32) local.get 0))"#,
    );
    let g = fx.ok(json!({
        "sources": {"app": "app.wat", "lib.math": "math.wat"},
        "instances": {"main": {"source": "app", "imports": {"env": {"add": "lib.math.a.b"}}}},
        "entry": "main"
    }));
    // "lib" is not a node; "lib.math" is; the export is "a.b".
    assert_eq!(bound(&g, "main", "env", "add"), "lib.math.a.b");
}

#[test]
fn rule2_instance_shadows_source() {
    let fx = Fx::new();
    fx.file(
        "app.wat",
        &importer("math", "add", "(func (param i32 i32) (result i32))"),
    )
    .file("math.wat", MATH64)
    .file("alt.wat", MATH);
    let g = fx.ok(json!({
        "sources": {"app": "app.wat", "math": "math.wat", "alt": "alt.wat"},
        "instances": {
            "main": {"source": "app"},
            "math": {"source": "alt"}
        },
        "entry": "main"
    }));
    // The instance "math" (of alt.wat, i32 add) wins over the source "math"
    // (i64 add, which would not even type-check).
    assert_eq!(bound(&g, "main", "math", "add"), "math.add");
    let m = inst(&g, "math");
    assert_eq!(g.graph.sources[g.graph.instances[m].source].name, "alt");
}

#[test]
fn rule2_source_gets_one_implicit_instance() {
    let fx = Fx::new();
    fx.file(
        "app.wat",
        &importer("math", "add", "(func (param i32 i32) (result i32))"),
    )
    .file(
        "b.wat",
        &importer("math", "sub", "(func (param i32 i32) (result i32))"),
    )
    .file("math.wat", MATH)
    .file("unused.wat", MATH);
    let g = fx.ok(json!({
        "sources": {"app": "app.wat", "b": "b.wat", "math": "math.wat", "unused": "unused.wat"},
        "instances": {"main": {"source": "app"}, "other": {"source": "b"}},
        "entry": "main"
    }));
    // Both importers share the one implicit instance "math".
    assert_eq!(bound(&g, "main", "math", "add"), "math.add");
    assert_eq!(bound(&g, "other", "math", "sub"), "math.sub");
    let names: Vec<&str> = g.graph.instances.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(names, ["main", "other", "math"]);
    // Sources without instances are not in the graph.
    let sources: Vec<&str> = g.graph.sources.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(sources, ["app", "b", "math"]);
}

#[test]
fn rule2_node_shadows_builtin_rule3() {
    let fx = Fx::new();
    fx.file(
        "app.wat",
        &importer(
            "wasi_snapshot_preview1",
            "fd_write",
            "(func (param i32 i32 i32 i32) (result i32))",
        ),
    )
    .file(
        "shim.wat",
        r#"(module (func (export "fd_write") (param i32 i32 i32 i32) (result i32) i32.const 0))"#,
    );
    let g = fx.ok(json!({
        "sources": {"app": "app.wat", "shim": "shim.wat"},
        "instances": {"main": {"source": "app"}, "wasi_snapshot_preview1": {"source": "shim"}},
        "entry": "main"
    }));
    assert_eq!(
        bound(&g, "main", "wasi_snapshot_preview1", "fd_write"),
        "wasi_snapshot_preview1.fd_write"
    );
}

#[test]
fn rule3_builtin() {
    let fx = Fx::new();
    fx.file(
        "app.wat",
        r#"(module
            (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
            (import "wasi_snapshot_preview1" "proc_exit" (func (param i32)))
            (memory (export "memory") 1)
            (func (export "_start")))"#,
    );
    let g = fx.ok(json!({"sources": {"app": "app.wat"}, "instances": {"main": {"source": "app"}}}));
    assert_eq!(
        bound(&g, "main", "wasi_snapshot_preview1", "fd_write"),
        "builtin:fd_write"
    );
    let b = g.graph.instances[0].imports[1];
    assert_eq!(
        b,
        Binding::Builtin(builtin(WASI_MODULE, "proc_exit").unwrap())
    );
}

#[test]
fn rule4_relative_specifiers_next_to_the_importing_file() {
    let fx = Fx::new();
    fx.file(
        "app/main.wat",
        r#"(module
            (import "./lib/util.wat" "twice" (func (param i32) (result i32)))
            (import "./lib/../lib/util.wat" "twice" (func $same (param i32) (result i32)))
            (func (export "_start")))"#,
    )
    .file(
        "app/lib/util.wat",
        r#"(module
            (import "../shared.wat" "one" (func (result i32)))
            (func (export "twice") (param i32) (result i32) local.get 0 local.get 0 i32.add))"#,
    )
    .file(
        "app/shared.wat",
        r#"(module (func (export "one") (result i32) i32.const 1))"#,
    );
    let g = fx.ok(json!({
        "sources": {"main": "app/main.wat"},
        "entry": "main"
    }));
    assert_eq!(
        bound(&g, "main", "./lib/util.wat", "twice"),
        "app/lib/util.wat.twice"
    );
    assert_eq!(
        bound(&g, "main", "./lib/../lib/util.wat", "twice"),
        "app/lib/util.wat.twice"
    );
    assert_eq!(
        bound(&g, "app/lib/util.wat", "../shared.wat", "one"),
        "app/shared.wat.one"
    );
    // One instance per resolved path.
    assert_eq!(g.graph.instances.len(), 3);
    assert_eq!(
        names_in_order(&g),
        ["app/shared.wat", "app/lib/util.wat", "main"]
    );
}

#[test]
fn rule4_relative_file_reuses_a_declared_source_but_not_its_instance() {
    let fx = Fx::new();
    fx.file(
        "app.wat",
        r#"(module
            (import "./math.wat" "add" (func (param i32 i32) (result i32)))
            (import "math" "add" (func (param i32 i32) (result i32)))
            (func (export "_start")))"#,
    )
    .file("math.wat", MATH);
    let g = fx.ok(json!({"sources": {"app": "app.wat", "math": "math.wat"}, "entry": "app"}));
    let a = bound(&g, "app", "./math.wat", "add");
    let b = bound(&g, "app", "math", "add");
    assert_eq!(b, "math.add");
    assert_eq!(a, "math.wat.add");
    // Two instances, one source (compiled once).
    assert_eq!(g.graph.instances.len(), 3);
    assert_eq!(g.graph.sources.len(), 2);
}

#[test]
fn rule4_missing_relative_file() {
    let fx = Fx::new();
    fx.file("app.wat", &importer("./nope.wasm", "f", "(func)"));
    let e = fx.err(json!({"sources": {"app": "app.wat"}, "entry": "app"}));
    let resolved = std::path::absolute(fx.path("nope.wasm")).unwrap();
    assert!(
        e.starts_with(&format!(
            "instance \"app\" (app.wat) imports module \"./nope.wasm\": cannot read file \"./nope.wasm\" (resolved to {}): ",
            resolved.display()
        )),
        "{e}"
    );
}

#[test]
fn rule5_unknown_module_lists_available_names() {
    let fx = Fx::new();
    fx.file("app.wasm", &importer("nope", "f", "(func)"))
        .file("lib/math.wat", MATH);
    let e = fx.err(json!({
        "sources": {"main": "app.wasm", "math": "lib/math.wat"},
        "entry": "main"
    }));
    assert_eq!(
        e,
        r#"instance "main" (app.wasm) imports module "nope": no instance, source or builtin is named "nope" (available: main, math, wasi_snapshot_preview1)"#
    );
}

#[test]
fn rule5_mentions_partial_imports_map() {
    let fx = Fx::new();
    fx.file(
        "app.wat",
        r#"(module
            (import "host" "log" (func))
            (import "host" "warn" (func))
            (func (export "_start")))"#,
    )
    .file("logger.wat", r#"(module (func (export "print")))"#);
    let e = fx.err(json!({
        "sources": {"app": "app.wat", "logger": "logger.wat"},
        "instances": {"main": {"source": "app", "imports": {"host": {"log": "logger.print"}}}}
    }));
    assert_eq!(
        e,
        r#"instance "main" (app.wat) imports module "host": no instance, source or builtin is named "host" (available: main, app, logger, wasi_snapshot_preview1); the imports map of "main" maps only these names of "host": log"#
    );
}

#[test]
fn mapped_node_missing() {
    let fx = Fx::new();
    fx.file("app.wat", APP);
    let e = fx.err(json!({
        "sources": {"app": "app.wat"},
        "instances": {"main": {"source": "app", "imports": {"env": "mth"}}}
    }));
    assert_eq!(
        e,
        r#"instance "main" (app.wat) imports module "env" (mapped to "mth"): no instance, source or builtin is named "mth" (available: main, app, wasi_snapshot_preview1)"#
    );
    let e = fx.err(json!({
        "sources": {"app": "app.wat"},
        "instances": {"main": {"source": "app", "imports": {"env": {"add": "mth.add"}}}}
    }));
    assert_eq!(
        e,
        r#"instance "main" (app.wat) imports "env" "add" (mapped to "mth.add"): no instance, source or builtin is named "mth" (available: main, app, wasi_snapshot_preview1)"#
    );
}

#[test]
fn imports_map_must_name_real_imports() {
    let fx = Fx::new();
    fx.file("app.wat", APP).file("math.wat", MATH);
    let e = fx.err(json!({
        "sources": {"app": "app.wat", "math": "math.wat"},
        "instances": {"main": {"source": "app", "imports": {"evn": "math"}}}
    }));
    let path = fx.path("app.json");
    assert_eq!(
        e,
        format!(
            r#"{}: instance "main" (app.wat): "imports" maps module "evn", but app.wat imports nothing from "evn" (it imports from: env)"#,
            path.display()
        )
    );
    let e = fx.err(json!({
        "sources": {"app": "app.wat", "math": "math.wat"},
        "instances": {"main": {"source": "app", "imports": {"env": {"ad": "math.add"}}}}
    }));
    assert!(e.ends_with(r#""imports" maps "env" "ad", but app.wat does not import it (it imports from "env": add)"#), "{e}");
}

#[test]
fn source_instantiated_twice_has_separate_state() {
    let fx = Fx::new();
    fx.file(
        "counter.wat",
        r#"(module
            (global $n (export "n") (mut i32) (i32.const 0))
            (memory (export "memory") 1)
            (func (export "bump") global.get $n i32.const 1 i32.add global.set $n))"#,
    )
    .file(
        "app.wat",
        r#"(module
            (import "c1" "bump" (func))
            (import "c2" "bump" (func))
            (import "c1" "n" (global (mut i32)))
            (import "c2" "memory" (memory 1))
            (func (export "_start")))"#,
    );
    let g = fx.ok(json!({
        "sources": {"app": "app.wat", "counter": "counter.wat"},
        "instances": {
            "main": {"source": "app"},
            "c1": {"source": "counter"},
            "c2": {"source": "counter"}
        },
        "entry": "main"
    }));
    let (c1, c2) = (inst(&g, "c1"), inst(&g, "c2"));
    assert_ne!(c1, c2);
    assert_eq!(g.graph.instances[c1].source, g.graph.instances[c2].source);
    assert_eq!(g.graph.sources.len(), 2);
    let main = &g.graph.instances[inst(&g, "main")];
    assert_eq!(
        main.imports[0],
        Binding::Func(ItemRef {
            instance: c1,
            index: 0
        })
    );
    assert_eq!(
        main.imports[1],
        Binding::Func(ItemRef {
            instance: c2,
            index: 0
        })
    );
    assert_eq!(
        main.imports[2],
        Binding::Global(ItemRef {
            instance: c1,
            index: 0
        })
    );
    assert_eq!(
        main.imports[3],
        Binding::Memory(ItemRef {
            instance: c2,
            index: 0
        })
    );
    // main needs c1's global and c2's memory first.
    assert_eq!(names_in_order(&g), ["c1", "c2", "main"]);
}

// ---------------------------------------------------------------------------
// Facades.

fn facade_fx() -> Fx {
    let fx = Fx::new();
    fx.file("math.wat", MATH)
        .file("m2.wat", r#"(module (func (export "add") (param i32 i32) (result i32) local.get 1) (func (export "mul") (param i32 i32) (result i32) local.get 0))"#);
    fx
}

#[test]
fn facade_import_and_export_forms() {
    let fx = facade_fx();
    fx.file(
        "app.wat",
        r#"(module
            (import "api" "add" (func (param i32 i32) (result i32)))
            (import "api" "minus" (func (param i32 i32) (result i32)))
            (import "api" "write" (func (param i32 i32 i32 i32) (result i32)))
            (import "api" "times" (func (param i32 i32) (result i32)))
            (func (export "_start")))"#,
    );
    let g = fx.ok(json!({
        "sources": {
            "app": "app.wat", "math": "math.wat", "m2": "m2.wat",
            "api": {"virtual": [
                {"import": "add", "from": "math"},
                {"import": "sub", "as": "s", "from": "math"},
                {"export": "add"},
                {"export": "s", "as": "minus"},
                {"export": "fd_write", "as": "write", "from": "wasi_snapshot_preview1"},
                {"export": "mul", "as": "times", "from": "m2"}
            ]}
        },
        "instances": {"main": {"source": "app"}},
        "entry": "main"
    }));
    assert_eq!(bound(&g, "main", "api", "add"), "api.add -> math.add");
    assert_eq!(bound(&g, "main", "api", "minus"), "api.minus -> math.sub");
    assert_eq!(
        bound(&g, "main", "api", "write"),
        "api.write -> builtin:fd_write"
    );
    assert_eq!(bound(&g, "main", "api", "times"), "api.times -> m2.mul");
    // Facades are not instances of the graph.
    let names: Vec<&str> = g.graph.instances.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(names, ["main", "math", "m2"]);
}

#[test]
fn facade_export_all_and_namespaces() {
    let fx = facade_fx();
    fx.file(
        "app.wat",
        r#"(module
            (import "api" "sub" (func (param i32 i32) (result i32)))
            (import "api/m" "mul" (func (param i32 i32) (result i32)))
            (import "api/all" "add" (func (param i32 i32) (result i32)))
            (import "outer/inner/m" "mul" (func (param i32 i32) (result i32)))
            (func (export "_start")))"#,
    );
    let g = fx.ok(json!({
        "sources": {
            "app": "app.wat", "math": "math.wat", "m2": "m2.wat",
            "api": {"virtual": [
                {"exportAllFrom": "math"},
                {"exportAllFrom": "m2", "as": "m"},
                {"importAllFrom": "math", "as": "everything"},
                {"export": "everything", "as": "all"}
            ]},
            "outer": {"virtual": [{"exportAllFrom": "api", "as": "inner"}]}
        },
        "instances": {"main": {"source": "app"}},
        "entry": "main"
    }));
    assert_eq!(bound(&g, "main", "api", "sub"), "api.sub -> math.sub");
    assert_eq!(bound(&g, "main", "api/m", "mul"), "api/m -> m2.mul");
    assert_eq!(bound(&g, "main", "api/all", "add"), "api/all -> math.add");
    assert_eq!(
        bound(&g, "main", "outer/inner/m", "mul"),
        "outer/inner -> api/m -> m2.mul"
    );
}

#[test]
fn facade_namespace_is_not_an_item() {
    let fx = facade_fx();
    fx.file("app.wat", &importer("api", "m", "(func)"));
    let e = fx.err(json!({
        "sources": {"app": "app.wat", "m2": "m2.wat",
                    "api": {"virtual": [{"exportAllFrom": "m2", "as": "m"}]}},
        "entry": "app"
    }));
    assert_eq!(
        e,
        r#"instance "app" (app.wat) imports "api" "m": "m" is a namespace of facade "api", not an item; import its names from module "api/m""#
    );
}

#[test]
fn facade_missing_namespace() {
    let fx = facade_fx();
    fx.file("app.wat", &importer("api/x", "mul", "(func)"));
    let e = fx.err(json!({
        "sources": {"app": "app.wat", "m2": "m2.wat",
                    "api": {"virtual": [{"exportAllFrom": "m2", "as": "m"}]}},
        "entry": "app"
    }));
    assert_eq!(
        e,
        r#"instance "app" (app.wat) imports "api/x" "mul": facade "api" has no namespace "x"; it exports: m/"#
    );
}

#[test]
fn facade_fronts_two_different_instances() {
    let fx = facade_fx();
    fx.file(
        "app.wat",
        r#"(module
            (import "f1" "add" (func (param i32 i32) (result i32)))
            (import "f2" "add" (func (param i32 i32) (result i32)))
            (func (export "_start")))"#,
    );
    let g = fx.ok(json!({
        "sources": {
            "app": "app.wat", "math": "math.wat", "m2": "m2.wat",
            "front": {"virtual": [{"exportAllFrom": "impl"}]}
        },
        "instances": {
            "main": {"source": "app"},
            "f1": {"source": "front", "imports": {"impl": "math"}},
            "f2": {"source": "front", "imports": {"impl": "m2"}}
        },
        "entry": "main"
    }));
    assert_eq!(bound(&g, "main", "f1", "add"), "f1.add -> math.add");
    assert_eq!(bound(&g, "main", "f2", "add"), "f2.add -> m2.add");
}

#[test]
fn facade_from_relative_specifier_is_relative_to_the_manifest() {
    let fx = facade_fx();
    fx.file("app/app.wat", APP);
    let g = fx.ok(json!({
        "sources": {"app": "app/app.wat", "env": {"virtual": [{"exportAllFrom": "./math.wat"}]}},
        "entry": "app"
    }));
    assert_eq!(bound(&g, "app", "env", "add"), "env.add -> math.wat.add");
}

#[test]
fn facade_of_facade_and_per_name_map_inside_a_facade() {
    let fx = facade_fx();
    fx.file("app.wat", APP);
    let g = fx.ok(json!({
        "sources": {
            "app": "app.wat", "math": "math.wat", "m2": "m2.wat",
            "inner": {"virtual": [{"import": "add", "from": "impl"}, {"export": "add", "as": "plus"}]},
            "outer": {"virtual": [{"exportAllFrom": "in"}]}
        },
        "instances": {
            "main": {"source": "app", "imports": {"env": {"add": "outer.plus"}}},
            "in": {"source": "inner", "imports": {"impl": {"add": "m2.mul"}}},
            "outer": {"source": "outer"}
        },
        "entry": "main"
    }));
    assert_eq!(
        bound(&g, "main", "env", "add"),
        "outer.plus -> in.plus -> m2.mul"
    );
}

#[test]
fn facade_missing_export_and_missing_scope_name() {
    let fx = facade_fx();
    fx.file(
        "app.wat",
        &importer("api", "mul", "(func (param i32 i32) (result i32))"),
    );
    let e = fx.err(json!({
        "sources": {"app": "app.wat", "math": "math.wat",
                    "api": {"virtual": [{"exportAllFrom": "math"}]}},
        "entry": "app"
    }));
    assert_eq!(
        e,
        r#"instance "app" (app.wat) imports "api" "mul": facade "api" has no export "mul"; it exports: add, sub"#
    );
    let e = fx.err(json!({
        "sources": {"app": "app.wat", "math": "math.wat",
                    "api": {"virtual": [{"export": "mul", "from": "math"}]}},
        "entry": "app"
    }));
    assert_eq!(
        e,
        r#"instance "app" (app.wat) imports "api" "mul": through facade "api", instance "math" (math.wat) has no export "mul"; it exports: add, sub"#
    );
    let e = fx.err(json!({
        "sources": {"app": "app.wat", "math": "math.wat",
                    "api": {"virtual": [{"import": "add", "from": "math"}, {"export": "mul"}]}},
        "entry": "app"
    }));
    assert_eq!(
        e,
        r#"facade "api": binding {"export": "mul"} exports "mul", which no import binding of the facade binds (bound: add)"#
    );
}

#[test]
fn facade_unknown_from() {
    let fx = facade_fx();
    fx.file(
        "app.wat",
        &importer("api", "add", "(func (param i32 i32) (result i32))"),
    );
    let e = fx.err(json!({
        "sources": {"app": "app.wat", "api": {"virtual": [{"exportAllFrom": "mth"}]}},
        "entry": "app"
    }));
    assert_eq!(
        e,
        r#"facade "api": binding {"exportAllFrom": "mth"}: no instance, source or builtin is named "mth" (available: app, api, wasi_snapshot_preview1)"#
    );
}

#[test]
fn explicit_facade_instances_are_checked_even_if_unused() {
    let fx = facade_fx();
    fx.file("app.wat", r#"(module (func (export "_start")))"#);
    let e = fx.err(json!({
        "sources": {"app": "app.wat", "math": "math.wat",
                    "api": {"virtual": [{"export": "nope", "from": "math"}]}},
        "instances": {"main": {"source": "app"}, "api": {"source": "api"}},
        "entry": "main"
    }));
    assert_eq!(
        e,
        r#"facade "api" exports "nope": instance "math" (math.wat) has no export "nope"; it exports: add, sub"#
    );
}

#[test]
fn facade_cycles_are_errors() {
    let fx = facade_fx();
    fx.file(
        "app.wat",
        &importer("a", "add", "(func (param i32 i32) (result i32))"),
    );
    let e = fx.err(json!({
        "sources": {"app": "app.wat", "a": {"virtual": [{"exportAllFrom": "a"}]}},
        "entry": "app"
    }));
    assert_eq!(
        e,
        r#"facade cycle: facade "a" re-exports from facade "a" (a facade cannot re-export everything from itself)"#
    );
    let e = fx.err(json!({
        "sources": {"app": "app.wat",
                    "a": {"virtual": [{"exportAllFrom": "b"}]},
                    "b": {"virtual": [{"exportAllFrom": "a"}]}},
        "entry": "app"
    }));
    assert_eq!(
        e,
        r#"facade cycle: facade "a" re-exports from facade "b" re-exports from facade "a" (a facade cannot re-export everything from itself)"#
    );
    // Item re-exports that go round in circles.
    let e = fx.err(json!({
        "sources": {"app": "app.wat",
                    "a": {"virtual": [{"export": "add", "from": "b"}]},
                    "b": {"virtual": [{"export": "add", "from": "a"}]}},
        "entry": "app"
    }));
    assert_eq!(
        e,
        r#"instance "app" (app.wat) imports "a" "add": facade cycle: a.add → b.add → a.add never reaches a definition"#
    );
    match fx.load(json!({
        "sources": {"app": "app.wat", "a": {"virtual": [{"exportAllFrom": "a"}]}},
        "entry": "app"
    })) {
        Err(GraphError::Cycle { instances, .. }) => assert_eq!(instances, ["a", "a"]),
        other => panic!("{other:?}"),
    }
}

#[test]
fn facade_ambiguous_star_exports() {
    let fx = facade_fx();
    fx.file(
        "app.wat",
        &importer("api", "add", "(func (param i32 i32) (result i32))"),
    );
    let e = fx.err(json!({
        "sources": {"app": "app.wat", "math": "math.wat", "m2": "m2.wat",
                    "api": {"virtual": [{"exportAllFrom": "math"}, {"exportAllFrom": "m2"}]}},
        "entry": "app"
    }));
    assert_eq!(
        e,
        r#"instance "app" (app.wat) imports "api" "add": facade "api" gets "add" from several "exportAllFrom" bindings with different definitions (instance "math" (math.wat), instance "m2" (m2.wat))"#
    );
    // An explicit export settles it; unambiguous star names still work.
    let fx2 = facade_fx();
    fx2.file(
        "app.wat",
        r#"(module
            (import "api" "add" (func (param i32 i32) (result i32)))
            (import "api" "mul" (func (param i32 i32) (result i32)))
            (func (export "_start")))"#,
    );
    let g = fx2.ok(json!({
        "sources": {"app": "app.wat", "math": "math.wat", "m2": "m2.wat",
                    "api": {"virtual": [{"exportAllFrom": "math"}, {"exportAllFrom": "m2"},
                                        {"export": "add", "from": "m2"}]}},
        "entry": "app"
    }));
    assert_eq!(bound(&g, "app", "api", "add"), "api.add -> m2.add");
    assert_eq!(bound(&g, "app", "api", "mul"), "api.mul -> m2.mul");
    // Two stars reaching the same definition are not ambiguous.
    let fx3 = facade_fx();
    fx3.file(
        "app.wat",
        &importer("api", "add", "(func (param i32 i32) (result i32))"),
    );
    let g = fx3.ok(json!({
        "sources": {"app": "app.wat", "math": "math.wat",
                    "x": {"virtual": [{"exportAllFrom": "math"}]},
                    "api": {"virtual": [{"exportAllFrom": "math"}, {"exportAllFrom": "x"}]}},
        "entry": "app"
    }));
    assert_eq!(bound(&g, "app", "api", "add"), "api.add -> math.add");
}

#[test]
fn facade_duplicate_names() {
    let fx = facade_fx();
    fx.file("app.wat", r#"(module (func (export "_start")))"#);
    let e = fx.err(json!({
        "sources": {"app": "app.wat", "math": "math.wat",
                    "api": {"virtual": [{"export": "add", "from": "math"}, {"export": "sub", "as": "add", "from": "math"}]}},
        "instances": {"main": {"source": "app"}, "api": {"source": "api"}},
        "entry": "main"
    }));
    assert_eq!(
        e,
        r#"facade "api": binding {"export": "sub", "as": "add", "from": "math"} exports "add", which an earlier binding already exports"#
    );
}

#[test]
fn facade_entry() {
    let fx = facade_fx();
    fx.file("app.wat", r#"(module (func (export "run")))"#);
    let g = fx.ok(json!({
        "sources": {"app": "app.wat",
                    "api": {"virtual": [{"export": "run", "as": "_start", "from": "app"}]}},
        "entry": "api"
    }));
    assert_eq!(
        g.graph.entry,
        Entry {
            instance: inst(&g, "app"),
            func: 0
        }
    );
}

// ---------------------------------------------------------------------------
// Transitive re-exports through real instances.

#[test]
fn reexported_imports_bind_to_the_definition() {
    let fx = Fx::new();
    fx.file("math.wat", MATH)
        .file(
            "mid.wat",
            r#"(module
                (import "math" "add" (func $add (param i32 i32) (result i32)))
                (import "math" "g" (global $g i32))
                (export "plus" (func $add))
                (export "g" (global $g)))"#,
        )
        .file(
            "math.wat",
            r#"(module
                (global (export "g") i32 (i32.const 7))
                (func (export "add") (param i32 i32) (result i32) local.get 0))"#,
        )
        .file(
            "app.wat",
            r#"(module
                (import "mid" "plus" (func (param i32 i32) (result i32)))
                (import "mid" "g" (global i32))
                (func (export "_start")))"#,
        );
    let g = fx.ok(json!({
        "sources": {"app": "app.wat", "mid": "mid.wat", "math": "math.wat"},
        "entry": "app"
    }));
    assert_eq!(bound(&g, "app", "mid", "plus"), "mid.plus -> math.add");
    let math = inst(&g, "math");
    let app = &g.graph.instances[inst(&g, "app")];
    assert_eq!(
        app.imports[0],
        Binding::Func(ItemRef {
            instance: math,
            index: 0
        })
    );
    assert_eq!(
        app.imports[1],
        Binding::Global(ItemRef {
            instance: math,
            index: 0
        })
    );
    // app needs math's global (not mid's); mid needs it too.
    let order = names_in_order(&g);
    assert_eq!(order[0], "math");
}

#[test]
fn reexport_cycle_without_definition() {
    let fx = Fx::new();
    fx.file(
        "a.wat",
        r#"(module (import "b" "f" (func $f)) (export "g" (func $f)) (func (export "_start")))"#,
    )
    .file(
        "b.wat",
        r#"(module (import "a" "g" (func $g)) (export "f" (func $g)))"#,
    );
    let e = fx.err(json!({"sources": {"a": "a.wat", "b": "b.wat"}, "entry": "a"}));
    assert_eq!(
        e,
        r#"import cycle that never reaches a definition: instance "a" (a.wat) imports "b" "f"; instance "b" (b.wat) exports that from its own import "a" "g"; instance "a" (a.wat) exports that from its own import "b" "f""#
    );
}

// ---------------------------------------------------------------------------
// Import matching.

/// Load `app` importing `ty` as ("lib", "x") from a lib exporting `def`.
fn link(import_ty: &str, lib: &str) -> Result<ResolvedGraph, GraphError> {
    let fx = Fx::new();
    fx.file("app.wat", &importer("lib", "x", import_ty))
        .file("lib.wat", lib);
    fx.load(json!({"sources": {"app": "app.wat", "lib": "lib.wat"}, "entry": "app"}))
}

fn link_err(import_ty: &str, lib: &str) -> String {
    match link(import_ty, lib) {
        Ok(_) => panic!("expected a mismatch: {import_ty} vs {lib}"),
        Err(e) => e.to_string(),
    }
}

fn link_ok(import_ty: &str, lib: &str) {
    if let Err(e) = link(import_ty, lib) {
        panic!("expected a match: {e}");
    }
}

#[test]
fn func_signature_mismatch_message() {
    let fx = Fx::new();
    fx.file("app.wasm", APP).file("lib/math.wat", MATH64);
    let e = fx.err(json!({
        "sources": {"main": "app.wasm", "math": "lib/math.wat"},
        "instances": {"main": {"source": "main", "imports": {"env": "math"}}}
    }));
    assert_eq!(
        e,
        r#"instance "main" (app.wasm) imports "env" "add" as func (i32, i32) -> (i32), but instance "math" (lib/math.wat) exports "add" as func (i64, i64) -> (i64)"#
    );
    let e = fx.err(json!({
        "sources": {"main": "app.wasm", "env": "lib/math.wat"},
        "entry": "main"
    }));
    assert_eq!(
        e,
        r#"instance "main" (app.wasm) imports "env" "add" as func (i32, i32) -> (i32), but instance "env" (lib/math.wat) exports "add" as func (i64, i64) -> (i64)"#
    );
}

#[test]
fn missing_export_message() {
    let fx = Fx::new();
    fx.file(
        "app.wasm",
        &importer("env", "mul", "(func (param i32 i32) (result i32))"),
    )
    .file("lib/math.wat", MATH);
    let e = fx.err(json!({
        "sources": {"main": "app.wasm", "math": "lib/math.wat"},
        "instances": {"main": {"source": "main", "imports": {"env": "math"}}}
    }));
    assert_eq!(
        e,
        r#"instance "main" (app.wasm) imports "env" "mul": instance "math" (lib/math.wat) has no export "mul"; it exports: add, sub"#
    );
}

#[test]
fn func_signatures_must_be_equal() {
    let lib = r#"(module (func (export "x") (param i32) (result i32) local.get 0))"#;
    link_ok("(func (param i32) (result i32))", lib);
    link_err("(func (param i32))", lib);
    link_err("(func (param i32) (result i64))", lib);
    link_err("(func (param i32 i32) (result i32))", lib);
    link_err("(func (param f32) (result i32))", lib);
}

#[test]
fn kind_mismatch() {
    let e = link_err("(memory 1)", r#"(module (func (export "x")))"#);
    assert_eq!(
        e,
        r#"instance "app" (app.wat) imports "lib" "x" as memory 1.. pages, but instance "lib" (lib.wat) exports "x" as func () -> ()"#
    );
}

#[test]
fn table_matching() {
    let lib = |t: &str| format!(r#"(module (table (export "x") {t}))"#);
    // Limits: actual min >= expected min; expected max → actual max <= it.
    link_ok("(table 1 funcref)", &lib("2 funcref"));
    link_ok("(table 2 funcref)", &lib("2 funcref"));
    link_ok("(table 1 10 funcref)", &lib("2 5 funcref"));
    link_ok("(table 1 funcref)", &lib("2 5 funcref"));
    let e = link_err("(table 3 funcref)", &lib("2 funcref"));
    assert!(
        e.ends_with("(its minimum of 2 elements is below the required minimum of 3)"),
        "{e}"
    );
    let e = link_err("(table 1 5 funcref)", &lib("2 funcref"));
    assert!(
        e.ends_with("(it has no maximum, but the import requires a maximum of at most 5 elements)"),
        "{e}"
    );
    let e = link_err("(table 1 5 funcref)", &lib("2 6 funcref"));
    assert!(
        e.ends_with("(its maximum of 6 elements is above the required maximum of 5)"),
        "{e}"
    );
    // Element type must be the same.
    let e = link_err("(table 1 externref)", &lib("1 funcref"));
    assert_eq!(
        e,
        r#"instance "app" (app.wat) imports "lib" "x" as table externref 1.., but instance "lib" (lib.wat) exports "x" as table funcref 1.. (its element type is funcref, not externref)"#
    );
    // Index type must be the same.
    let e = link_err("(table i64 1 funcref)", &lib("1 funcref"));
    assert!(e.ends_with("(its index type is i32, not i64)"), "{e}");
}

#[test]
fn memory_matching() {
    let lib = |m: &str| format!(r#"(module (memory (export "x") {m}))"#);
    link_ok("(memory 1)", &lib("1"));
    link_ok("(memory 1)", &lib("2 3"));
    link_ok("(memory 1 4)", &lib("2 3"));
    link_ok("(memory 1 3)", &lib("1 3"));
    let e = link_err("(memory 2)", &lib("1"));
    assert_eq!(
        e,
        r#"instance "app" (app.wat) imports "lib" "x" as memory 2.. pages, but instance "lib" (lib.wat) exports "x" as memory 1.. pages (its minimum of 1 page is below the required minimum of 2)"#
    );
    let e = link_err("(memory 1 2)", &lib("1"));
    assert!(
        e.ends_with("(it has no maximum, but the import requires a maximum of at most 2 pages)"),
        "{e}"
    );
    let e = link_err("(memory 1 2)", &lib("1 3"));
    assert!(
        e.ends_with("(its maximum of 3 pages is above the required maximum of 2)"),
        "{e}"
    );
    // memory64 is a different index type, both ways.
    let e = link_err("(memory i64 1)", &lib("1"));
    assert!(e.ends_with("(its index type is i32, not i64)"), "{e}");
    let e = link_err("(memory 1)", &lib("i64 1"));
    assert!(e.ends_with("(its index type is i64, not i32)"), "{e}");
    link_ok("(memory i64 1)", &lib("i64 2"));
}

#[test]
fn global_matching() {
    let lib_c = r#"(module (global (export "x") i32 (i32.const 1)))"#;
    let lib_m = r#"(module (global (export "x") (mut i32) (i32.const 1)))"#;
    link_ok("(global i32)", lib_c);
    link_ok("(global (mut i32))", lib_m);
    let e = link_err("(global (mut i32))", lib_c);
    assert_eq!(
        e,
        r#"instance "app" (app.wat) imports "lib" "x" as global (mut i32), but instance "lib" (lib.wat) exports "x" as global i32 (it is immutable and the import is mutable)"#
    );
    let e = link_err("(global i32)", lib_m);
    assert!(
        e.ends_with("(it is mutable and the import is immutable)"),
        "{e}"
    );
    let e = link_err("(global i64)", lib_c);
    assert!(e.ends_with("(its value type is i32, not i64)"), "{e}");
    let e = link_err("(global (mut i64))", lib_m);
    assert!(e.ends_with("(its value type is i32, not i64)"), "{e}");
}

#[test]
fn limits_rules() {
    assert_eq!(match_limits(1, None, 1, None, "pages"), Ok(()));
    assert_eq!(match_limits(1, None, 5, Some(6), "pages"), Ok(()));
    assert_eq!(match_limits(1, Some(6), 5, Some(6), "pages"), Ok(()));
    assert!(match_limits(2, None, 1, None, "pages").is_err());
    assert!(match_limits(1, Some(6), 1, None, "pages").is_err());
    assert!(match_limits(1, Some(6), 1, Some(7), "pages").is_err());
}

#[test]
fn type_is_checked_against_the_definition_through_facades() {
    let fx = facade_fx();
    fx.file(
        "app.wat",
        &importer("api", "add", "(func (param i64 i64) (result i64))"),
    );
    let e = fx.err(json!({
        "sources": {"app": "app.wat", "math": "math.wat",
                    "api": {"virtual": [{"exportAllFrom": "math"}]}},
        "entry": "app"
    }));
    assert_eq!(
        e,
        r#"instance "app" (app.wat) imports "api" "add" as func (i64, i64) -> (i64), but through facade "api", instance "math" (math.wat) exports "add" as func (i32, i32) -> (i32)"#
    );
}

#[test]
fn type_is_checked_against_the_definition_through_reexports() {
    let fx = Fx::new();
    fx.file("lib.wat", r#"(module (memory (export "mem") 1 2))"#)
        .file(
            "mid.wat",
            r#"(module (import "lib" "mem" (memory 1)) (export "m" (memory 0)))"#,
        )
        .file("app.wat", &importer("mid", "m", "(memory 1 2)"));
    // mid declares no maximum, but the definition has one: it matches.
    let g = fx.ok(
        json!({"sources": {"app": "app.wat", "mid": "mid.wat", "lib": "lib.wat"}, "entry": "app"}),
    );
    assert_eq!(bound(&g, "app", "mid", "m"), "mid.m -> lib.mem");
}

#[test]
fn builtin_signature_mismatch_and_unknown_wasi_function() {
    let fx = Fx::new();
    fx.file(
        "app.wat",
        &importer(
            "wasi_snapshot_preview1",
            "fd_write",
            "(func (param i32) (result i32))",
        ),
    );
    let e = fx.err(json!({"sources": {"app": "app.wat"}, "entry": "app"}));
    assert_eq!(
        e,
        r#"instance "app" (app.wat) imports "wasi_snapshot_preview1" "fd_write" as func (i32) -> (i32), but the WASI function wasi_snapshot_preview1.fd_write is func (i32, i32, i32, i32) -> (i32)"#
    );
    fx.file(
        "app.wat",
        &importer("wasi_snapshot_preview1", "fd_frobnicate", "(func)"),
    );
    let e = fx.err(json!({"sources": {"app": "app.wat"}, "entry": "app"}));
    assert_eq!(
        e,
        r#"instance "app" (app.wat) imports "wasi_snapshot_preview1" "fd_frobnicate": "fd_frobnicate" is not a WASI preview1 function (module "wasi_snapshot_preview1")"#
    );
    fx.file(
        "app.wat",
        &importer("wasi_snapshot_preview1", "fd_write", "(memory 1)"),
    );
    let e = fx.err(json!({"sources": {"app": "app.wat"}, "entry": "app"}));
    assert!(
        e.contains("as memory 1.. pages, but the WASI function"),
        "{e}"
    );
}

// ---------------------------------------------------------------------------
// Order.

#[test]
fn order_dependencies_first_and_manifest_tie_break() {
    let fx = Fx::new();
    fx.file(
        "app.wat",
        r#"(module (import "lib" "mem" (memory 1)) (import "math" "add" (func (param i32 i32) (result i32))) (func (export "_start")))"#,
    )
    .file("lib.wat", r#"(module (memory (export "mem") 1))"#)
    .file("math.wat", MATH)
    .file("x.wat", "(module)")
    .file("y.wat", "(module)");
    let g = fx.ok(json!({
        "sources": {"app": "app.wat", "lib": "lib.wat", "math": "math.wat", "x": "x.wat", "y": "y.wat"},
        "instances": {"y": {"source": "y"}, "main": {"source": "app"}, "x": {"source": "x"}},
        "entry": "main"
    }));
    assert_eq!(names_in_order(&g), ["y", "lib", "math", "main", "x"]);
}

#[test]
fn order_function_cycles_are_allowed() {
    let fx = Fx::new();
    fx.file(
        "a.wat",
        r#"(module (import "b" "pong" (func)) (func (export "ping")) (func (export "_start")))"#,
    )
    .file(
        "b.wat",
        r#"(module (import "a" "ping" (func)) (func (export "pong")))"#,
    );
    let g = fx.ok(json!({"sources": {"a": "a.wat", "b": "b.wat"}, "entry": "a"}));
    assert_eq!(names_in_order(&g), ["a", "b"]);
    assert_eq!(bound(&g, "a", "b", "pong"), "b.pong");
    assert_eq!(bound(&g, "b", "a", "ping"), "a.ping");
}

#[test]
fn order_function_cycle_with_a_global_edge() {
    // a calls b, b needs a's global: a must come first even though a's
    // function dependency on b is then not satisfied.
    let fx = Fx::new();
    fx.file(
        "b.wat",
        r#"(module (import "a" "g" (global i32)) (func (export "f")))"#,
    )
    .file(
        "a.wat",
        r#"(module (import "b" "f" (func)) (global (export "g") i32 (i32.const 1)) (func (export "_start")))"#,
    );
    let g = fx.ok(json!({
        "sources": {"a": "a.wat", "b": "b.wat"},
        "instances": {"b": {"source": "b"}, "a": {"source": "a"}},
        "entry": "a"
    }));
    assert_eq!(names_in_order(&g), ["a", "b"]);
}

#[test]
fn order_global_cycles_are_rejected() {
    let fx = Fx::new();
    fx.file(
        "a.wat",
        r#"(module (import "b" "g" (global $bg i32)) (global (export "g") i32 (global.get $bg)) (func (export "_start")))"#,
    )
    .file(
        "b.wat",
        r#"(module (import "a" "g" (global $ag i32)) (global (export "g") i32 (global.get $ag)))"#,
    );
    let e = fx.load(json!({"sources": {"a": "a.wat", "b": "b.wat"}, "entry": "a"}));
    let Err(GraphError::Cycle { instances, message }) = e else {
        panic!("expected a cycle: {e:?}");
    };
    assert_eq!(instances, ["a", "b"]);
    assert_eq!(
        message,
        r#"instances "a" → "b" → "a" form a cycle of non-function imports: instance "a" imports global "b" "g" from instance "b"; instance "b" imports global "a" "g" from instance "a"; a global, memory or table must exist before the instance that imports it, so only cycles through function imports are allowed"#
    );
}

#[test]
fn order_memory_self_import_is_a_cycle() {
    let fx = Fx::new();
    fx.file(
        "a.wat",
        r#"(module (import "a" "m" (memory 1)) (memory (export "m") 1) (func (export "_start")))"#,
    );
    let e = fx.err(json!({"sources": {"a": "a.wat"}, "entry": "a"}));
    assert!(e.starts_with(r#"instances "a" → "a" form a cycle of non-function imports: instance "a" imports memory "a" "m" from itself"#), "{e}");
}

// ---------------------------------------------------------------------------
// Entry.

#[test]
fn entry_forms() {
    let fx = Fx::new();
    fx.file(
        "app.wat",
        r#"(module (func (export "_start")) (func (export "run")) (func (export "bad") (param i32)) (memory (export "mem") 1))"#,
    )
    .file("lib.wat", r#"(module (func (export "_start")))"#);
    let m = |entry: Value| {
        json!({
            "sources": {"app": "app.wat", "lib": "lib.wat"},
            "instances": {"main": {"source": "app"}},
            "entry": entry
        })
    };
    let g = fx.ok(m(json!("main")));
    assert_eq!(
        g.graph.entry,
        Entry {
            instance: 0,
            func: 0
        }
    );
    let g = fx.ok(m(json!("main.run")));
    assert_eq!(
        g.graph.entry,
        Entry {
            instance: 0,
            func: 1
        }
    );
    // A source name: its implicit instance.
    let g = fx.ok(m(json!("lib")));
    assert_eq!(
        g.graph.entry,
        Entry {
            instance: inst(&g, "lib"),
            func: 0
        }
    );
    assert_eq!(
        fx.err(m(json!("main.nope"))),
        r#"entry "main.nope": instance "main" (app.wat) has no export "nope"; it exports: _start, run, bad, mem"#
    );
    // Numeric parameters come from the command line.
    let g = fx.ok(m(json!("main.bad")));
    assert_eq!(g.graph.entry.instance, inst(&g, "main"));
    assert_eq!(
        fx.err(m(json!("main.mem"))),
        r#"entry "main.mem": instance "main" (app.wat) exports "mem" as memory 1.. pages, but the entry must be a function whose parameters are numbers (i32, i64, f32, f64), which the executable reads from its command line"#
    );
    assert_eq!(
        fx.err(m(json!("nope.run"))),
        r#"entry "nope.run": no instance or source is named "nope" (available: main, app, lib)"#
    );
    assert!(fx
        .err(m(json!("wasi_snapshot_preview1.sched_yield")))
        .contains("the entry must be a function of an instance"));
    // Options override the manifest.
    let g = fx
        .load_with(
            m(json!("main")),
            &LoadOptions {
                entry: Some("main.run".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(g.graph.entry.func, 1);
}

#[test]
fn entry_defaults_to_the_single_explicit_instance() {
    let fx = Fx::new();
    fx.file("app.wat", r#"(module (func (export "_start")))"#);
    let g = fx.ok(json!({"sources": {"app": "app.wat"}, "instances": {"main": {"source": "app"}}}));
    assert_eq!(
        g.graph.entry,
        Entry {
            instance: 0,
            func: 0
        }
    );
    let path = fx.path("app.json");
    assert_eq!(
        fx.err(json!({"sources": {"app": "app.wat"}, "instances": {"a": {"source": "app"}, "b": {"source": "app"}}})),
        format!(
            r#"{}: no "entry", and 2 instances to choose from (a, b); add "entry": "instance" or "instance.export""#,
            path.display()
        )
    );
    assert_eq!(
        fx.err(json!({"sources": {"app": "app.wat"}})),
        format!(
            r#"{}: no "entry", and no instance to default to; add "entry": "instance" or "instance.export" (sources: app)"#,
            path.display()
        )
    );
}

#[test]
fn entry_may_be_an_imported_function() {
    let fx = Fx::new();
    fx.file("lib.wat", r#"(module (func (export "go")))"#).file(
        "app.wat",
        r#"(module (import "lib" "go" (func)) (export "_start" (func 0)))"#,
    );
    let g = fx.ok(json!({"sources": {"app": "app.wat", "lib": "lib.wat"}, "entry": "app"}));
    assert_eq!(
        g.graph.entry,
        Entry {
            instance: 0,
            func: 0
        }
    );
    assert_eq!(
        g.graph.resolve_func(0, 0),
        FuncTarget::Defined(ItemRef {
            instance: inst(&g, "lib"),
            index: 0
        })
    );
}

// ---------------------------------------------------------------------------
// WASI configuration.

#[test]
fn wasi_config_forms() {
    let fx = Fx::new();
    fx.file("app.wat", r#"(module (func (export "_start")))"#);
    let m = |wasi: Value| json!({"sources": {"app": "app.wat"}, "entry": "app", "wasi": wasi});
    let g = fx.ok(json!({"sources": {"app": "app.wat"}, "entry": "app"}));
    assert_eq!(g.graph.wasi, WasiConfig::default());
    let g = fx.ok(m(
        json!({"args": "inherit", "env": "inherit", "preopens": {".": "."}}),
    ));
    assert_eq!(
        g.graph.wasi,
        WasiConfig {
            args: WasiArgs::Inherit,
            env: WasiEnv::Inherit,
            preopens: vec![(".".into(), ".".into())],
            runtime_flags: true,
        }
    );
    let g = fx.ok(m(json!({"args": ["prog", "-v"], "env": "none", "preopens": {"/data": "data", "/tmp": "/tmp"}})));
    assert_eq!(
        g.graph.wasi.args,
        WasiArgs::Fixed(vec!["prog".into(), "-v".into()])
    );
    assert_eq!(g.graph.wasi.env, WasiEnv::None);
    assert_eq!(
        g.graph.wasi.preopens,
        vec![
            ("/data".into(), "data".into()),
            ("/tmp".into(), "/tmp".into())
        ]
    );
    let g = fx.ok(m(json!({"env": {"B": "2", "A": "1"}})));
    assert_eq!(
        g.graph.wasi.env,
        WasiEnv::Fixed(vec![("B".into(), "2".into()), ("A".into(), "1".into())])
    );

    let bad = |wasi: Value| match fx.load(m(wasi)) {
        Err(e @ GraphError::ManifestSyntax { .. }) | Err(e @ GraphError::Manifest { .. }) => {
            e.to_string()
        }
        other => panic!("expected a manifest error, got {other:?}"),
    };
    assert!(bad(json!({"args": "all"}))
        .ends_with(r#"wasi.args is "inherit" or a list of strings, not "all""#));
    assert!(bad(json!({"args": [1]})).contains("invalid type: integer `1`, expected a string"));
    assert!(bad(json!({"env": "some"}))
        .contains(r#"wasi.env is "inherit", "none" or an object {"NAME": "value"}, not "some""#));
    assert!(bad(json!({"env": {"A=B": "x"}}))
        .ends_with(r#"wasi.env: "A=B" is not a valid environment variable name"#));
    assert!(bad(json!({"preopen": {}}))
        .contains("unknown field `preopen`, expected one of `args`, `env`, `preopens`"));
    // Options override.
    let g = fx
        .load_with(
            m(json!({"env": "none"})),
            &LoadOptions {
                wasi: Some(WasiConfig::default()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(g.graph.wasi.env, WasiEnv::Inherit);
}

// ---------------------------------------------------------------------------
// Manifest and source errors.

#[test]
fn malformed_json_has_line_and_column() {
    let fx = Fx::new();
    let p = fx.raw(
        "app.json",
        "{\n  \"sources\": {\n    \"app\": \"app.wat\",\n  }\n}",
    );
    let e = load_graph(&p, &LoadOptions::default()).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!("{}:4:3: invalid manifest: trailing comma", p.display())
    );
    let GraphError::ManifestSyntax { line, column, .. } = e else {
        panic!()
    };
    assert_eq!((line, column), (4, 3));
}

#[test]
fn manifest_shape_errors() {
    let fx = Fx::new();
    let p = fx.path("app.json");
    let e = |v: Value| fx.err(v);
    let s = e(json!({"source": {}}));
    assert!(s.starts_with(&format!("{}:1:", p.display())), "{s}");
    assert!(
        s.contains(
            "unknown field `source`, expected one of `sources`, `instances`, `entry`, `wasi`"
        ),
        "{s}"
    );
    assert!(
        e(json!({"sources": {"a": {"file": "a.wat", "wat": "(module)"}}}))
            .contains(r#"a source object has exactly one key, but "file" comes with "wat""#)
    );
    assert!(e(json!({"sources": {"a": {"path": "a.wat"}}})).contains(
        "unknown field `path`, expected one of `file`, `wat`, `virtual`, `bytes`, `json`"
    ));
    assert!(e(json!({"sources": {"a": 3}})).contains("a source: a file path"));
    assert!(
        e(json!({"instances": {"main": {"source": "app", "import": {}}}}))
            .contains("unknown field `import`, expected `source` or `imports`")
    );
    assert!(e(json!({"instances": {"main": {"imports": {}}}})).contains("missing field `source`"));
    assert!(e(json!({"sources": {}, "instances": {"main": {"source": "app", "imports": {"env": {"add": "math"}}}}}))
        .contains(r#"import "add" maps to "math", which is not of the form "node.export""#));
    assert_eq!(
        e(json!({"sources": {"app": "app.wat"}, "instances": {"main": {"source": "ap"}}})),
        format!(
            r#"{}: instance "main" names source "ap", which is not in "sources" (available: app)"#,
            p.display()
        )
    );
    // Duplicate keys are not silently merged.
    let p2 = fx.raw("dup.json", r#"{"sources": {"a": "a.wat", "a": "b.wat"}}"#);
    let s = load_graph(&p2, &LoadOptions::default())
        .unwrap_err()
        .to_string();
    assert!(s.contains(r#"duplicate key "a""#), "{s}");
}

#[test]
fn bad_virtual_binding_has_position() {
    let fx = Fx::new();
    let text = "{\"sources\": {\"api\": {\"virtual\": [\n  {\"exportAllFrom\": \"m\"},\n  {\"import\": \"x\"}\n]}}}";
    let p = fx.raw("app.json", text);
    let e = load_graph(&p, &LoadOptions::default()).unwrap_err();
    let GraphError::ManifestSyntax { line, message, .. } = &e else {
        panic!("{e:?}")
    };
    assert_eq!(*line, 3);
    assert_eq!(
        message,
        "a virtual binding with keys {import} is not one of {import, from}, {import, as, from}, {importAllFrom, as}, {export}, {export, as}, {export, as, from}, {exportAllFrom} or {exportAllFrom, as}"
    );
    let e = fx.err(json!({"sources": {"api": {"virtual": [{"export": "x", "bogus": 1}]}}}));
    assert!(e.contains("unknown field `bogus`"), "{e}");
}

#[test]
fn virtual_binding_forms_parse() {
    let m = parse_manifest_str(
        r#"{"sources": {"api": {"virtual": [
            {"import": "a", "from": "m"},
            {"import": "a", "as": "b", "from": "m"},
            {"importAllFrom": "m", "as": "ns"},
            {"export": "a"},
            {"export": "a", "as": "c"},
            {"export": "a", "as": "c", "from": "m"},
            {"exportAllFrom": "m"},
            {"exportAllFrom": "m", "as": "NS"}
        ]}}}"#,
        Path::new("dir/app.json"),
    )
    .unwrap();
    assert_eq!(m.base_dir, Path::new("dir"));
    let SourceSpec::Virtual(b) = &m.sources["api"] else {
        panic!()
    };
    let s = |x: &str| x.to_string();
    assert_eq!(
        b,
        &vec![
            VirtualBinding::Import {
                name: s("a"),
                alias: None,
                from: s("m")
            },
            VirtualBinding::Import {
                name: s("a"),
                alias: Some(s("b")),
                from: s("m")
            },
            VirtualBinding::ImportAll {
                from: s("m"),
                alias: s("ns")
            },
            VirtualBinding::Export {
                name: s("a"),
                alias: None
            },
            VirtualBinding::Export {
                name: s("a"),
                alias: Some(s("c"))
            },
            VirtualBinding::ExportFrom {
                name: s("a"),
                alias: Some(s("c")),
                from: s("m")
            },
            VirtualBinding::ExportAll {
                from: s("m"),
                alias: None
            },
            VirtualBinding::ExportAll {
                from: s("m"),
                alias: Some(s("NS"))
            },
        ]
    );
    assert_eq!(
        b[5].to_string(),
        r#"{"export": "a", "as": "c", "from": "m"}"#
    );
}

#[test]
fn missing_source_file() {
    let fx = Fx::new();
    let e = fx.err(json!({"sources": {"math": "lib/math.wat"}}));
    let resolved = std::path::absolute(fx.path("lib/math.wat")).unwrap();
    assert!(
        e.starts_with(&format!(
            r#"source "math": cannot read file "lib/math.wat" (resolved to {}): "#,
            resolved.display()
        )),
        "{e}"
    );
}

#[test]
fn invalid_module_names_file_and_offset() {
    let fx = Fx::new();
    fx.file("bad.wasm", "(module (func (result i32)))");
    let e = fx.err(json!({"sources": {"bad": "bad.wasm"}, "entry": "bad"}));
    assert!(
        e.starts_with(r#"source "bad" (bad.wasm): invalid WebAssembly module: type mismatch"#),
        "{e}"
    );
    assert!(e.contains("(at byte offset 0x"), "{e}");
    let e = fx.err(json!({"sources": {"t": {"wat": "(module (func (export \"x\") (result i32)"}}, "entry": "t"}));
    assert!(
        e.starts_with(r#"source "t" (inline wat): invalid WebAssembly text: "#),
        "{e}"
    );
    assert!(e.contains("inline wat:1:"), "{e}");
}

#[test]
fn data_sources_are_not_supported_yet() {
    let fx = Fx::new();
    let e = fx.err(json!({"sources": {"cfg": {"json": {"a": 1}}}}));
    assert_eq!(
        e,
        r#"source "cfg": {"json": …} data sources are not supported yet (supported: a file path, {"file": …}, {"wat": …}, {"virtual": […]})"#
    );
    assert!(fx
        .err(json!({"sources": {"b": {"bytes": "x.bin"}}}))
        .starts_with(r#"source "b": {"bytes": …} data"#));
}

#[test]
fn inline_wat_and_file_object_sources() {
    let fx = Fx::new();
    fx.file("lib/math.wat", MATH);
    let g = fx.ok(json!({
        "sources": {
            "shim": {"wat": "(module (import \"math\" \"add\" (func (param i32 i32) (result i32))) (func (export \"_start\")))"},
            "math": {"file": "lib/math.wat"}
        },
        "entry": "shim"
    }));
    assert_eq!(bound(&g, "shim", "math", "add"), "math.add");
    assert_eq!(g.source_labels, ["inline wat", "lib/math.wat"]);
    assert_eq!(g.graph.sources[0].path, None);
    assert_eq!(
        g.graph.sources[1].path.as_deref(),
        Some(fx.path("lib/math.wat").as_path())
    );
}

// ---------------------------------------------------------------------------
// Manifest-less form.

#[test]
fn manifest_less_module() {
    let fx = Fx::new();
    fx.file(
        "hello.wasm",
        r#"(module
            (import "wasi_snapshot_preview1" "proc_exit" (func (param i32)))
            (import "./lib.wat" "one" (func (result i32)))
            (func (export "_start")))"#,
    )
    .file(
        "lib.wat",
        r#"(module (func (export "one") (result i32) i32.const 1))"#,
    );
    let g = load_graph(&fx.path("hello.wasm"), &LoadOptions::default()).unwrap();
    assert_eq!(names_in_order(&g), ["lib.wat", "hello"]);
    assert_eq!(
        g.graph.entry,
        Entry {
            instance: inst(&g, "hello"),
            func: 2
        }
    );
    assert_eq!(
        bound(&g, "hello", "wasi_snapshot_preview1", "proc_exit"),
        "builtin:proc_exit"
    );
    assert_eq!(g.graph.wasi, WasiConfig::default());

    fx.file("bad.wat", &importer("env", "f", "(func)"));
    let e = load_graph(&fx.path("bad.wat"), &LoadOptions::default())
        .unwrap_err()
        .to_string();
    assert_eq!(
        e,
        format!(
            r#"instance "bad" ({}) imports module "env": no instance, source or builtin is named "env" (available: bad, wasi_snapshot_preview1)"#,
            fx.path("bad.wat").display()
        )
    );
    let e = load_graph(&fx.path("app.txt"), &LoadOptions::default()).unwrap_err();
    assert!(matches!(e, GraphError::UnknownInput { .. }));
    let e = load_graph(&fx.path("missing.wasm"), &LoadOptions::default()).unwrap_err();
    assert!(matches!(e, GraphError::ReadInput { .. }));
    let e = load_graph(&fx.path("missing.json"), &LoadOptions::default()).unwrap_err();
    assert!(e.to_string().starts_with("cannot read "), "{e}");
}

// ---------------------------------------------------------------------------
// Reports.

fn report_fx() -> (Fx, ResolvedGraph) {
    let fx = Fx::new();
    fx.file(
        "app.wasm",
        r#"(module
            (import "env" "add" (func (param i32 i32) (result i32)))
            (import "api" "write" (func (param i32 i32 i32 i32) (result i32)))
            (import "lib" "mem" (memory 1))
            (func (export "_start")))"#,
    )
    .file("lib/math.wat", MATH)
    .file("lib/mem.wat", r#"(module (memory (export "mem") 1))"#);
    let g = fx.ok(json!({
        "sources": {
            "app": "app.wasm",
            "math": {"file": "lib/math.wat"},
            "lib": "lib/mem.wat",
            "api": {"virtual": [{"exportAllFrom": "math"},
                                {"export": "fd_write", "as": "write", "from": "wasi_snapshot_preview1"}]}
        },
        "instances": {"main": {"source": "app", "imports": {"env": "math"}}},
        "entry": "main",
        "wasi": {"args": "inherit", "env": {"K": "V"}, "preopens": {".": "."}}
    }));
    (fx, g)
}

#[test]
fn text_report() {
    let (_fx, g) = report_fx();
    assert_eq!(
        render_text(&g),
        r#"instances, in instantiation order:
  math: source "math" (lib/math.wat)
  lib: source "lib" (lib/mem.wat)
  main: source "app" (app.wasm)
    env.add (func (i32, i32) -> (i32)) -> math.add
    api.write (func (i32, i32, i32, i32) -> (i32)) -> facade api.write -> wasi_snapshot_preview1.fd_write (builtin)
    lib.mem (memory 1.. pages) -> lib.mem
entry: main._start
wasi: args inherit; env ["K=V"]; preopens "." => "."; runtime_flags true
"#
    );
}

#[test]
fn dot_report() {
    let (_fx, g) = report_fx();
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
    let (_fx2, g2) = report_fx();
    assert_eq!(render_dot(&g2), dot);
}

// ---------------------------------------------------------------------------
// Robustness: odd manifests are errors, never panics.

#[test]
fn odd_manifests_do_not_panic() {
    let fx = Fx::new();
    fx.file(
        "a.wat",
        r#"(module (import "a" "f" (func)) (func (export "_start")))"#,
    );
    let cases = [
        "",
        "null",
        "[]",
        "{}",
        r#"{"sources": []}"#,
        r#"{"sources": {"": "a.wat"}, "entry": ""}"#,
        r#"{"sources": {"a": ""}}"#,
        r#"{"sources": {"a": {}}}"#,
        r#"{"sources": {"a": {"virtual": []}}, "entry": "a"}"#,
        r#"{"sources": {"a": {"virtual": [{}]}}}"#,
        r#"{"sources": {"a": {"virtual": [{"import": "", "from": "x"}]}}}"#,
        r#"{"sources": {"a": {"virtual": [{"exportAllFrom": "a", "as": "x/y"}]}}}"#,
        r#"{"sources": {"a": "a.wat"}, "entry": "a"}"#,
        r#"{"sources": {"a": "a.wat"}, "entry": "."}"#,
        r#"{"sources": {"a": "a.wat"}, "entry": "a."}"#,
        r#"{"sources": {"a": "a.wat"}, "entry": "./"}"#,
        r#"{"sources": {"a": "a.wat"}, "entry": "./a.wat"}"#,
        r#"{"sources": {"a": "."}, "entry": "a"}"#,
        r#"{"sources": {"v": {"virtual": [{"exportAllFrom": "v", "as": "n"}]}}, "entry": "v/n/n/n.x"}"#,
        r#"{"sources": {"v": {"virtual": [{"importAllFrom": "v", "as": "n"}, {"export": "n"}]}}, "entry": "v/n.x"}"#,
        r#"{"sources": {"v": {"virtual": [{"export": "x", "from": "v/x"}]}}, "entry": "v.x"}"#,
        r#"{"sources": {"a": "a.wat"}, "instances": {"a": {"source": "a", "imports": {"a": {"f": "a.a.a"}}}}}"#,
        r#"{"sources": {"a": "a.wat"}, "instances": {"a": {"source": "a", "imports": {"a": "a/b"}}}}"#,
        r#"{"sources": {"v": {"virtual": [{"export": "n", "from": "w"}]}, "w": {"virtual": [{"export": "n", "from": "v"}]}}, "entry": "v/n.x"}"#,
        r#"{"sources": {"v": {"virtual": [{"exportAllFrom": "w"}]}, "w": {"virtual": [{"export": "x", "from": "v/x"}]}}, "entry": "v.x"}"#,
        r#"{"sources": {"a": "a.wat"}, "instances": {"a": {"source": "a", "imports": {"a": "wasi_snapshot_preview1/x"}}}}"#,
        r#"{"wasi": {"args": null}}"#,
        r#"{"wasi": {"env": []}}"#,
        r#"{"entry": 3}"#,
    ];
    for text in cases {
        let p = fx.raw("odd.json", text);
        // Each either loads or fails with a message; none panics.
        match load_graph(&p, &LoadOptions::default()) {
            Ok(_) => {}
            Err(e) => assert!(!e.to_string().is_empty()),
        }
    }
}

#[test]
fn wasm_files_must_be_binaries() {
    let fx = Fx::new();
    fx.raw("text.wasm", "(module)");
    let e = fx.err(json!({"sources": {"t": "text.wasm"}, "entry": "t"}));
    assert_eq!(
        e,
        r#"source "t" (text.wasm): invalid WebAssembly module: magic header not detected: a binary module starts with "\0asm" (text belongs in a .wat file) (at byte offset 0x0)"#
    );
}

#[test]
fn manifest_less_entry_without_start() {
    let fx = Fx::new();
    fx.file(
        "lib.wat",
        r#"(module (memory (export "m") 1) (func (export "f")))"#,
    );
    let e = load_graph(&fx.path("lib.wat"), &LoadOptions::default()).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            r#"entry "lib": instance "lib" ({}) has no export "_start"; it exports: m, f; name an exported function as the entry ("lib.f")"#,
            fx.path("lib.wat").display()
        )
    );
    let options = LoadOptions {
        entry: Some("lib.f".into()),
        ..Default::default()
    };
    let g = load_graph(&fx.path("lib.wat"), &options).unwrap();
    assert_eq!(
        g.graph.entry,
        Entry {
            instance: 0,
            func: 0
        }
    );
}

#[test]
fn imports_map_may_name_a_facade_namespace() {
    let fx = facade_fx();
    fx.file("app.wat", APP);
    let g = fx.ok(json!({
        "sources": {"app": "app.wat", "math": "math.wat",
                    "api": {"virtual": [{"exportAllFrom": "math", "as": "ns"}]}},
        "instances": {"main": {"source": "app", "imports": {"env": "api/ns"}}}
    }));
    assert_eq!(bound(&g, "main", "env", "add"), "api/ns -> math.add");
}

#[test]
fn resolved_graph_is_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<ResolvedGraph>();
    check::<GraphError>();
}

#[test]
fn programmatic_manifests_are_checked_too() {
    let fx = Fx::new();
    fx.file("app.wat", APP);
    let text = json!({"sources": {"app": "app.wat"}, "entry": "app"}).to_string();
    let mut m = parse_manifest_str(&text, &fx.path("app.json")).unwrap();
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
