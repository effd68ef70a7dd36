//! Bad input for the component path, and the checks run on it. Shared,
//! like `gen.rs` (which this file uses for [`mutate`](crate::gen::mutate)
//! and the manifest checks), by the in-suite test (`main.rs`, fixed seeds)
//! and the `component` fuzz target (`fuzz/fuzz_targets/component.rs`,
//! which includes both files with `#[path]`).
//!
//! The contract checked, beyond "no panic, no hang": every error a user
//! sees for a component names where it comes from — the source (its name
//! or file) for a component that does not load, the importing instance
//! for an import that does not link, the entry for an entry that does not
//! resolve. A message without them leaves the user guessing which of
//! several components is wrong.

// Each user (test, fuzz target) uses only part of this file.
#![allow(dead_code)]

use crate::gen::{check_manifest, ManifestStage};
use arbitrary::{Result, Unstructured};
use std::path::Path;
use wasmlink_graph::{
    load_graph, parse_manifest_str, resolve_manifest, GraphError, LoadOptions, ResolvedGraph,
};

/// Small components covering what the loader and the resolver do with
/// components: imported and exported interfaces, lowered and lifted
/// functions, strings through an adapter, a `wasi:cli/run` export, WASI
/// 0.2 imports, resources, nesting. The mutation seeds for the text form,
/// and the sources of generated manifests ([`SOURCES`]).
pub const SEED_COMPONENTS: &[&str] = &[
    // 0: imports my:pkg/api@1.0.0 (get: func() -> s32), exports calc.
    r#"(component
  (import "my:pkg/api@1.0.0" (instance $api (export "get" (func (result s32)))))
  (alias export $api "get" (func $get))
  (core func $get_lowered (canon lower (func $get)))
  (core module $m
    (import "api" "get" (func (result i32)))
    (func (export "calc") (result i32) call 0))
  (core instance $i (instantiate $m (with "api" (instance (export "get" (func $get_lowered))))))
  (func (export "calc") (result s32) (canon lift (core func $i "calc"))))"#,
    // 1: exports my:pkg/api@1.0.0.
    r#"(component
  (core module $m (func (export "get") (result i32) i32.const 7))
  (core instance $i (instantiate $m))
  (func $get (result s32) (canon lift (core func $i "get")))
  (instance $api (export "get" (func $get)))
  (export "my:pkg/api@1.0.0" (instance $api)))"#,
    // 2: a wasi:cli/run export.
    r#"(component
  (core module $m (func (export "run") (result i32) i32.const 1))
  (core instance $i (instantiate $m))
  (type $r (result))
  (func $run (result $r) (canon lift (core func $i "run")))
  (instance $cli (export "run" (func $run)))
  (export "wasi:cli/run@0.2.0" (instance $cli)))"#,
    // 3: a WASI 0.2 import, lowered.
    r#"(component
  (import "wasi:clocks/monotonic-clock@0.2.3" (instance $clock
    (export "now" (func (result u64)))))
  (alias export $clock "now" (func $now))
  (core func $now_lowered (canon lower (func $now)))
  (core module $m
    (import "wasi:clocks/monotonic-clock@0.2.3" "now" (func (result i64)))
    (func (export "run") (result i32) call 0 drop i32.const 0))
  (core instance $i (instantiate $m (with "wasi:clocks/monotonic-clock@0.2.3" (instance (export "now" (func $now_lowered))))))
  (func $run (result (result)) (canon lift (core func $i "run")))
  (instance $cli (export "run" (func $run)))
  (export "wasi:cli/run@0.2.3" (instance $cli)))"#,
    // 4: a string through an imported interface (memory, realloc).
    r#"(component
  (import "my:pkg/api@1.0.0" (instance $api
    (export "measure" (func (param "name" string) (result u32)))))
  (core module $mem (memory (export "memory") 1) (data (i32.const 100) "Zebra"))
  (core instance $mi (instantiate $mem))
  (alias export $api "measure" (func $measure))
  (core func $measure_lowered (canon lower (func $measure) (memory (core memory $mi "memory"))))
  (core module $m
    (import "api" "measure" (func $measure (param i32 i32) (result i32)))
    (func (export "run") (result i32) i32.const 100 i32.const 5 call $measure))
  (core instance $i (instantiate $m (with "api" (instance (export "measure" (func $measure_lowered))))))
  (func (export "run") (result s32) (canon lift (core func $i "run"))))"#,
    // 5: exports the string function of 4.
    r#"(component
  (core module $m
    (memory (export "memory") 1)
    (global $bump (mut i32) (i32.const 1024))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      global.get $bump global.get $bump local.get 3 i32.add global.set $bump)
    (func (export "measure") (param $ptr i32) (param $len i32) (result i32)
      local.get $len))
  (core instance $i (instantiate $m))
  (func $measure (param "name" string) (result u32)
    (canon lift (core func $i "measure") (memory (core memory $i "memory")) (realloc (core func $i "realloc"))))
  (instance $api (export "measure" (func $measure)))
  (export "my:pkg/api@1.0.0" (instance $api)))"#,
    // 6: a resource the component defines.
    r#"(component
  (type $r (resource (rep i32)))
  (core func $new (canon resource.new $r))
  (core module $m (import "r" "new" (func (param i32) (result i32))) (func (export "run") (result i32) i32.const 0))
  (core instance $i (instantiate $m (with "r" (instance (export "new" (func $new))))))
  (func $run (result (result)) (canon lift (core func $i "run")))
  (instance $cli (export "run" (func $run)))
  (export "wasi:cli/run@0.2.0" (instance $cli)))"#,
    // 7: a nested component, a post-return function.
    r#"(component
  (component $inner
    (core module $m
      (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
      (func (export "after") (param i32)))
    (core instance $i (instantiate $m))
    (func (export "add") (param "a" s32) (param "b" s32) (result s32)
      (canon lift (core func $i "add") (post-return (core func $i "after")))))
  (instance $in (instantiate $inner))
  (export "add" (func $in "add")))"#,
];

/// The sources a generated component manifest draws from: inline text
/// whose imports and exports name each other, and near misses of each
/// (another type, another version, another interface, a missing function,
/// a core module where a component is expected and the other way round).
pub const SOURCES: &[(&str, &str)] = &[
    ("app", SEED_COMPONENTS[0]),
    ("lib", SEED_COMPONENTS[1]),
    ("run", SEED_COMPONENTS[2]),
    ("clock", SEED_COMPONENTS[3]),
    ("strapp", SEED_COMPONENTS[4]),
    ("strlib", SEED_COMPONENTS[5]),
    ("res", SEED_COMPONENTS[6]),
    ("nested", SEED_COMPONENTS[7]),
    // A WIT type mismatch with "app": get returns s64.
    (
        "lib64",
        r#"(component (core module $m (func (export "get") (result i64) i64.const 7)) (core instance $i (instantiate $m)) (func $get (result s64) (canon lift (core func $i "get"))) (instance $api (export "get" (func $get))) (export "my:pkg/api@1.0.0" (instance $api)))"#,
    ),
    // Another version of the interface "app" imports.
    (
        "lib03",
        r#"(component (core module $m (func (export "get") (result i32) i32.const 7)) (core instance $i (instantiate $m)) (func $get (result s32) (canon lift (core func $i "get"))) (instance $api (export "get" (func $get))) (export "my:pkg/api@0.3.0" (instance $api)))"#,
    ),
    // The right interface without the function "app" calls.
    (
        "libput",
        r#"(component (core module $m (func (export "put") (param i32))) (core instance $i (instantiate $m)) (func $put (param "v" s32) (canon lift (core func $i "put"))) (instance $api (export "put" (func $put))) (export "my:pkg/api@1.0.0" (instance $api)))"#,
    ),
    // The function as a plain export, no interface.
    (
        "flat",
        r#"(component (core module $m (func (export "get") (result i32) i32.const 7)) (core instance $i (instantiate $m)) (func (export "get") (result s32) (canon lift (core func $i "get"))))"#,
    ),
    // An unsupported WASI version.
    (
        "wasi3",
        r#"(component (import "wasi:clocks/monotonic-clock@0.3.0" (instance $c (export "now" (func (result u64))))) (alias export $c "now" (func $now)) (core func $l (canon lower (func $now))) (core module $m (import "c" "now" (func (result i64))) (func (export "run") (result i32) call 0 drop i32.const 0)) (core instance $i (instantiate $m (with "c" (instance (export "now" (func $l)))))) (func $run (result (result)) (canon lift (core func $i "run"))) (instance $cli (export "run" (func $run))) (export "wasi:cli/run@0.2.0" (instance $cli)))"#,
    ),
    // Core modules: one exporting what "app" wants, one importing from a
    // component node.
    (
        "core",
        r#"(module (func (export "get") (result i32) i32.const 7) (func (export "_start")))"#,
    ),
    (
        "user",
        r#"(module (import "lib" "get" (func (result i32))) (import "app" "calc" (func (result i32))) (func (export "_start")))"#,
    ),
    // Does not validate: the lifted type does not match the core one.
    (
        "invalid",
        r#"(component (core module $m (func (export "f") (result i64) i64.const 1)) (core instance $i (instantiate $m)) (func (export "f") (result s32) (canon lift (core func $i "f"))))"#,
    ),
];

/// Import names a component manifest wires: the interfaces the sources
/// import and export, other versions of them, unknown ones, WASI, and
/// core-module-style names.
const INTERFACES: &[&str] = &[
    "my:pkg/api@1.0.0",
    "my:pkg/api@1.0.0",
    "my:pkg/api@0.3.0",
    "my:pkg/api@1.0.1",
    "my:pkg/api",
    "my:pkg/apx@1.0.0",
    "wasi:clocks/monotonic-clock@0.2.3",
    "wasi:clocks/monotonic-clock@0.3.0",
    "wasi:cli/run@0.2.0",
    "lib",
    "env",
    "",
];
/// Function names for per-function maps.
const FUNCTIONS: &[&str] = &["get", "put", "measure", "now", "calc", "run", "add"];
/// Node names of instances (sources are named by [`SOURCES`]).
const NODES: &[&str] = &["main", "lib", "x", "app", "core"];

fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A node name: mostly one of `nodes`, sometimes nothing known.
fn node(u: &mut Unstructured, nodes: &[&str]) -> Result<String> {
    Ok(match u.int_in_range(0..=5)? {
        0..=4 if !nodes.is_empty() => u.choose(nodes)?.to_string(),
        _ => u
            .choose(&["nowhere", "wasi_snapshot_preview1", "lib.get"])?
            .to_string(),
    })
}

/// How an instance wires one import: a node, or a per-function map whose
/// targets name a node's export (plain or `interface#function`).
fn wiring(u: &mut Unstructured, nodes: &[&str]) -> Result<String> {
    if u.ratio(3, 5)? {
        return Ok(json_string(&node(u, nodes)?));
    }
    let n = u.int_in_range(0..=2)?;
    let mut members = Vec::new();
    for _ in 0..n {
        let function = u.choose(FUNCTIONS)?;
        let target = node(u, nodes)?;
        let export = match u.int_in_range(0..=2)? {
            0 => u.choose(FUNCTIONS)?.to_string(),
            1 => format!("{}#{}", u.choose(INTERFACES)?, u.choose(FUNCTIONS)?),
            _ => u.choose(INTERFACES)?.to_string(),
        };
        members.push(format!(
            "{}: {}",
            json_string(function),
            json_string(&format!("{target}.{export}"))
        ));
    }
    Ok(format!("{{{}}}", members.join(", ")))
}

/// Sources that import something (the first of each manifest's sources),
/// mostly the component importing `my:pkg/api@1.0.0`.
const IMPORTERS: &[&str] = &[
    "app", "app", "app", "strapp", "clock", "wasi3", "user", "run", "nested", "invalid",
];
/// Sources that may provide it, or provide something close.
const PROVIDERS: &[&str] = &[
    "lib", "lib", "strlib", "lib64", "lib03", "libput", "flat", "core", "run", "app",
];

/// The interface source `name` imports (or a likely guess).
fn imported_interface(name: &str) -> &'static str {
    match name {
        "clock" => "wasi:clocks/monotonic-clock@0.2.3",
        "wasi3" => "wasi:clocks/monotonic-clock@0.3.0",
        "user" => "lib",
        _ => "my:pkg/api@1.0.0",
    }
}

/// The entry that runs an instance of source `name`: its `wasi:cli/run`
/// export or an exported function.
fn entry_export(name: &str) -> Option<&'static str> {
    match name {
        "app" => Some("calc"),
        "strapp" => Some("run"),
        "nested" => Some("add"),
        "flat" | "lib" | "lib64" | "lib03" => Some("get"),
        _ => None,
    }
}

fn source_text(name: &str) -> &'static str {
    SOURCES
        .iter()
        .find(|(n, _)| *n == name)
        .map_or("(component)", |(_, text)| text)
}

/// A component-shaped manifest: an importing source and a few providers
/// as inline text, instances wiring interfaces to each other (by node or
/// per function), with unknown interfaces, other versions, type
/// mismatches and components and core modules in each other's place.
/// Sometimes cut or edited afterwards.
pub fn component_manifest(u: &mut Unstructured) -> Result<String> {
    let mut sources: Vec<&str> = vec![*u.choose(IMPORTERS)?];
    for _ in 0..u.int_in_range(0..=2)? {
        let name = *u.choose(PROVIDERS)?;
        if !sources.contains(&name) {
            sources.push(name);
        }
    }
    let items: Vec<String> = sources
        .iter()
        .map(|name| {
            let text = json_string(source_text(name));
            format!("{}: {{\"wat\": {text}}}", json_string(name))
        })
        .collect();
    let mut members = vec![format!("\"sources\": {{{}}}", items.join(", "))];
    // "main" instantiates the importer; other instances mostly the
    // providers, named after them or not.
    let mut instances = Vec::new();
    let mut names: Vec<&str> = Vec::new();
    for i in 0..u.int_in_range(1..=3)? {
        let (name, source) = match i {
            0 => ("main", sources[0]),
            _ => {
                let source = match u.ratio(9, 10)? {
                    true => *u.choose(&sources)?,
                    false => "missing",
                };
                let name = match u.ratio(1, 2)? {
                    true if source != "missing" => source,
                    _ => *u.choose(NODES)?,
                };
                (name, source)
            }
        };
        if names.contains(&name) {
            continue;
        }
        names.push(name);
        let mut imports = Vec::new();
        let mut keys = Vec::new();
        // Mostly only "main" has imports to wire.
        let wired = match name {
            "main" => u.int_in_range(0..=2)?,
            _ => u.int_in_range(0..=4)? / 4,
        };
        for _ in 0..wired {
            let key = match u.ratio(2, 3)? {
                true => imported_interface(source),
                false => *u.choose(INTERFACES)?,
            };
            if keys.contains(&key) {
                continue;
            }
            keys.push(key);
            let targets: Vec<&str> = sources[1..].iter().chain(NODES).copied().collect();
            imports.push(format!("{}: {}", json_string(key), wiring(u, &targets)?));
        }
        instances.push(format!(
            "{}: {{\"source\": {}, \"imports\": {{{}}}}}",
            json_string(name),
            json_string(source),
            imports.join(", ")
        ));
    }
    members.push(format!("\"instances\": {{{}}}", instances.join(", ")));
    if u.ratio(9, 10)? {
        let target = *u.choose(&names)?;
        // Mostly the entry "main" has, so resolution goes on to the
        // imports.
        let entry = match u.int_in_range(0..=5)? {
            0..=2 => match entry_export(sources[0]) {
                Some(export) => format!("main.{export}"),
                None => "main".to_string(),
            },
            3 => target.to_string(),
            4 => format!("{target}.{}", u.choose(FUNCTIONS)?),
            _ => format!(
                "{target}.{}#{}",
                u.choose(INTERFACES)?,
                u.choose(FUNCTIONS)?
            ),
        };
        members.push(format!("\"entry\": {}", json_string(&entry)));
    }
    let text = format!("{{{}}}", members.join(", "));
    if u.ratio(1, 10)? {
        let bytes = crate::gen::mutate(u, text.as_bytes())?;
        return Ok(String::from_utf8_lossy(&bytes).into_owned());
    }
    Ok(text)
}

/// Numbers that sit on an edge: zero, a sign, a width, a page count.
const EDGE_NUMBERS: &[&str] = &["0", "1", "-1", "4294967295", "65536", "0x7fffffff", "7"];

/// Tokens of text: `(`, `)`, strings and other runs of characters,
/// with the whitespace between them kept in the following token.
fn tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let end = match c {
            c if c.is_whitespace() => continue,
            '(' | ')' => i + 1,
            '"' => {
                let mut end = text.len();
                let mut escaped = false;
                for (j, c) in chars.by_ref() {
                    match c {
                        '\\' if !escaped => escaped = true,
                        '"' if !escaped => {
                            end = j + 1;
                            break;
                        }
                        _ => escaped = false,
                    }
                }
                end
            }
            _ => {
                let mut end = text.len();
                while let Some(&(j, c)) = chars.peek() {
                    if c.is_whitespace() || c == '(' || c == ')' || c == '"' {
                        end = j;
                        break;
                    }
                    chars.next();
                }
                end
            }
        };
        out.push(&text[start..end]);
        start = end;
    }
    out.push(&text[start..]);
    out
}

/// The index one past the `)` that closes the `(` at `open`.
fn group_end(tokens: &[String], open: usize) -> usize {
    let mut depth = 0usize;
    for (i, t) in tokens.iter().enumerate().skip(open) {
        match t.trim_start() {
            "(" => depth += 1,
            ")" => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
    }
    tokens.len()
}

/// `text` with one to three edits that keep it text (valid UTF-8, mostly
/// balanced parentheses), so that most mutants parse and reach the
/// validator and the resolver: a word replaced by another of the text or
/// by an edge number, a word or a whole `( … )` group deleted or
/// duplicated, two words swapped.
pub fn mutate_text(u: &mut Unstructured, text: &str) -> Result<String> {
    let mut toks: Vec<String> = tokens(text).into_iter().map(String::from).collect();
    for _ in 0..u.int_in_range(1..=3)? {
        if toks.is_empty() {
            break;
        }
        let at = u.choose_index(toks.len())?;
        let word = |t: &str| !matches!(t.trim_start(), "(" | ")" | "");
        let words: Vec<usize> = (0..toks.len()).filter(|&i| word(&toks[i])).collect();
        let lead = |t: &str| t[..t.len() - t.trim_start().len()].to_string();
        match u.int_in_range(0..=5)? {
            0 if !words.is_empty() => {
                let from = toks[*u.choose(&words)?].trim_start().to_string();
                toks[at] = format!("{}{from}", lead(&toks[at]));
            }
            1 => {
                let number = *u.choose(EDGE_NUMBERS)?;
                toks[at] = format!("{}{number}", lead(&toks[at]));
            }
            2 if toks[at].trim_start() == "(" => {
                let end = group_end(&toks, at);
                toks.drain(at..end);
            }
            3 if toks[at].trim_start() == "(" => {
                let end = group_end(&toks, at);
                let group: Vec<String> = toks[at..end].to_vec();
                toks.splice(at..at, group);
            }
            4 if word(&toks[at]) => {
                toks.remove(at);
            }
            5 if !words.is_empty() => {
                let other = *u.choose(&words)?;
                let (a, b) = (
                    toks[at].trim_start().to_string(),
                    toks[other].trim_start().to_string(),
                );
                toks[at] = format!("{}{b}", lead(&toks[at]));
                toks[other] = format!("{}{a}", lead(&toks[other]));
            }
            _ => {}
        }
    }
    Ok(toks.concat())
}

/// A component from wasm-smith with a random configuration. Most of them
/// do not validate (wasm-smith's component support lags the component
/// model), which makes them malformed input that gets past the header.
pub fn smith_component(u: &mut Unstructured) -> Result<Vec<u8>> {
    let mut config: wasm_smith::Config = u.arbitrary()?;
    // Large components only cost time: validation fails or succeeds the
    // same way on a small one.
    config.max_funcs = config.max_funcs.min(20);
    config.max_types = config.max_types.min(40);
    config.max_instructions = config.max_instructions.min(200);
    Ok(wasm_smith::Component::new(config, u)?.to_bytes())
}

/// How far a component got.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ComponentStage {
    /// Rejected by the loader.
    Rejected,
    /// Loaded; resolution failed.
    Loaded,
    /// Resolved; compilation skipped or failed.
    Resolved,
    /// Compiled to an object.
    Compiled,
}

/// An error that does not name `who` (quoted, or a file name) is a bug
/// in the message: the user cannot tell which input is wrong.
fn names(message: &str, who: &[&str]) -> std::result::Result<(), String> {
    if message.trim().is_empty() {
        return Err("empty error message".into());
    }
    if who.iter().any(|w| message.contains(w)) {
        return Ok(());
    }
    Err(format!("the message names none of {who:?}: {message}"))
}

/// The names an error from the resolver must mention: the importing
/// instance, the source, the entry, the facade.
pub fn check_graph_error(e: &GraphError) -> std::result::Result<(), String> {
    let message = e.to_string();
    let quoted = |s: &str| format!("\"{}\"", wasmlink_graph::shown_name(s));
    match e {
        GraphError::InvalidModule { source_name, .. }
        | GraphError::InvalidComponent { source_name, .. }
        | GraphError::InvalidJson { source_name, .. }
        | GraphError::InvalidData { source_name, .. } => names(&message, &[&quoted(source_name)]),
        GraphError::Link { instance, .. } => names(&message, &[&quoted(instance)]),
        // No entry at all: the manifest is named instead.
        GraphError::Entry { entry, .. } if entry.is_empty() => names(&message, &[""]),
        GraphError::Entry { entry, .. } => names(&message, &[&quoted(entry)]),
        GraphError::Facade { facade, .. } => names(&message, &[&quoted(facade)]),
        _ => names(&message, &[""]),
    }
}

/// Load `bytes` as a component, and as the file `file` in `dir` (a
/// `.wasm` or `.wat` name: a `.wasm` file must be a binary) through the
/// manifest-less resolver; when that resolves, compile it to an object.
/// An instance whose entry cannot be its `wasi:cli/run` export is
/// resolved again with its first lifted export as the entry, so
/// components without one get to their imports.
/// `Err` is a message that does not say where the problem is; a panic is
/// a bug too, left to the caller to catch.
pub fn check_component(
    bytes: &[u8],
    dir: &Path,
    file: &str,
) -> std::result::Result<ComponentStage, String> {
    let flat = match wasmlink_component::parse_text_or_binary(bytes)
        .and_then(|binary| wasmlink_component::load_component(&binary))
    {
        Ok(flat) => Some(flat),
        Err(e) => {
            names(&e.to_string(), &[""])?;
            None
        }
    };
    let path = dir.join(file);
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    std::fs::write(&path, bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    let resolved = match load_graph(&path, &LoadOptions::default()) {
        Ok(r) => Ok(r),
        Err(GraphError::Entry { .. }) => {
            let export = flat.as_ref().and_then(|f| {
                f.exports
                    .iter()
                    .find(|e| matches!(e.item, wasmlink_component::ExportItem::Lifted(_)))
            });
            match export {
                Some(export) => {
                    let options = LoadOptions {
                        entry: Some(format!("{name}.{}", export.name)),
                        ..Default::default()
                    };
                    load_graph(&path, &options)
                }
                None => return Ok(ComponentStage::Loaded),
            }
        }
        Err(e) => Err(e),
    };
    let resolved = match resolved {
        Ok(r) => r,
        Err(e) => {
            check_graph_error(&e)?;
            return Ok(match flat {
                Some(_) => ComponentStage::Loaded,
                None => ComponentStage::Rejected,
            });
        }
    };
    if flat.is_none() {
        return Err("the resolver loaded a component the loader rejects".into());
    }
    Ok(match build(&resolved)? {
        true => ComponentStage::Compiled,
        false => ComponentStage::Resolved,
    })
}

/// Compile and emit `resolved` on this thread. `Ok(false)` when the
/// build fails with an error (a feature not compiled yet, say).
fn build(resolved: &ResolvedGraph) -> std::result::Result<bool, String> {
    let options = wasmlink::BuildOptions {
        threads: Some(1),
        ..Default::default()
    };
    match wasmlink::build_object(&resolved.graph, &options) {
        Ok(_) => Ok(true),
        Err(e) => names(&e.to_string(), &[""]).map(|()| false),
    }
}

/// Parse and resolve a component-shaped manifest, and check the error
/// names its subject; when it resolves, compile it. Only
/// inline sources are generated, so nothing is read from disk; anything
/// else (a mutant naming a file) goes through [`check_manifest`].
pub fn check_component_manifest(text: &str) -> std::result::Result<ManifestStage, String> {
    let path = Path::new(crate::gen::MANIFEST_PATH);
    let Ok(manifest) = parse_manifest_str(text, path) else {
        return Ok(ManifestStage::Rejected);
    };
    let inline_only = manifest
        .sources
        .values()
        .all(|s| matches!(s, wasmlink_graph::SourceSpec::Wat(_)));
    if !inline_only {
        return Ok(check_manifest(text));
    }
    match resolve_manifest(&manifest, &LoadOptions::default()) {
        Ok(resolved) => {
            wasmlink_graph::render_text(&resolved);
            build(&resolved)?;
            Ok(ManifestStage::Resolved)
        }
        Err(e) => {
            check_graph_error(&e)?;
            Ok(ManifestStage::Parsed)
        }
    }
}
