//! Bad input for the load stage and the manifest parser, and the checks run
//! on it. Shared by the in-suite test (`tests/bad_input/main.rs`, fixed
//! seeds) and the `load` and `manifest` fuzz targets (`fuzz/fuzz_targets/`,
//! which include this file with `#[path]`), so a case the fuzzer finds can
//! be replayed by the test and the other way round. Uses only `arbitrary`,
//! `wasmlink-module` and `wasmlink-graph`.
//!
//! The contract checked: any bytes given to the loader and any text given
//! as a manifest give `Ok` or `Err`, never a panic or a hang, and what loads
//! is self-consistent (index spaces, body and data ranges) because later
//! stages index into it without checking.

// Each user (test, fuzz target) uses only part of this file.
#![allow(dead_code)]

use arbitrary::{Result, Unstructured};
use std::path::Path;
use wasmlink_graph::{parse_manifest_str, resolve_manifest, LoadOptions, SourceSpec};
use wasmlink_module::wasmparser::WasmFeatures;
use wasmlink_module::{parse_module_with, parse_wat_or_wasm, supported_features, ModuleInfo};

/// Where generated manifests claim to live. The directory does not exist,
/// so files and relative specifiers they name are never found, and nothing
/// outside is read (absolute file paths are not resolved, see
/// [`check_manifest`]).
pub const MANIFEST_PATH: &str = "/nonexistent-wasmlink-bad-input/app.json";

/// Small modules covering every section the loader reads (the mutation
/// seeds; a mutant of a valid module gets further than random bytes).
pub const SEED_MODULES: &[&str] = &[
    r#"(module
        (type (func (param i32) (result i32)))
        (import "env" "f" (func (type 0)))
        (import "env" "mem" (memory 1 2))
        (import "env" "t" (table 1 funcref))
        (import "env" "g" (global (mut i64)))
        (func $id (export "id") (type 0) local.get 0)
        (func $start)
        (start $start)
        (global $c (export "c") i32 (i32.const 42))
        (global (mut f64) (f64.const 1.5))
        (elem (i32.const 0) $id)
        (elem func $start)
        (elem declare func $id)
        (data (i32.const 8) "hello")
        (data "passive"))"#,
    r#"(module
        (memory (export "memory") 1)
        (table $t 4 10 externref)
        (table 2 funcref)
        (elem (table 1) (i32.const 0) funcref (ref.func $f) (ref.null func))
        (func $f (param i64 f32) (result f64 i32)
          f64.const 0 i32.const 1)
        (func (export "simd") (param v128) (result v128)
          local.get 0 i32x4.splat (i32.const 1) i32x4.add))"#,
    r#"(module
        (memory i64 1)
        (memory 0 1)
        (global i64 (i64.add (i64.const 1) (i64.const 2)))
        (func $a (result i32) i32.const 0)
        (func (export "tail") (result i32) return_call $a)
        (data (memory 1) (i32.const 0) "x"))"#,
    r#"(module $named
        (func $first (export "_start"))
        (func $second (param $x i32) (local $y i32)
          block loop br 1 end end))"#,
    r#"(module
        (import "wasi_snapshot_preview1" "fd_write"
          (func (param i32 i32 i32 i32) (result i32)))
        (memory (export "memory") 1)
        (func (export "_start")
          (drop (call 0 (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 20)))))"#,
];

/// Load `bytes` as wasmlink does (text or binary, then validation) with
/// each feature set a caller may pass, and check what loads. `Ok(true)`
/// when some feature set accepted the module. `Err` is a bug (an
/// inconsistent `ModuleInfo` or a non-monotonic feature check); a panic is
/// one too and is left to the caller to catch.
pub fn check_load(bytes: &[u8]) -> std::result::Result<bool, String> {
    let Ok(binary) = parse_wat_or_wasm(bytes) else {
        return Ok(false);
    };
    let mut accepted_before = false;
    for (name, features) in [
        ("wasm 1.0", WasmFeatures::WASM1),
        ("wasm 2.0", WasmFeatures::WASM2),
        ("supported", supported_features()),
    ] {
        match parse_module_with(binary.clone(), features) {
            Ok(m) => {
                accepted_before = true;
                check_module(&m).map_err(|e| format!("{name}: {e}"))?;
            }
            // Every set includes the previous one: what loads with fewer
            // features loads with more, unless it needs something wasmlink
            // does not compile (the same error for every set).
            Err(e) if accepted_before => {
                return Err(format!(
                    "accepted with fewer features, rejected with {name}: {e}"
                ))
            }
            Err(_) => {}
        }
    }
    Ok(accepted_before)
}

/// The invariants later stages rely on without checking.
fn check_module(m: &ModuleInfo) -> std::result::Result<(), String> {
    let len = m.bytes.len();
    if m.num_imported_funcs as usize + m.bodies.len() != m.funcs.len() {
        return Err(format!(
            "{} imported functions + {} bodies != {} functions",
            m.num_imported_funcs,
            m.bodies.len(),
            m.funcs.len()
        ));
    }
    let counts = [
        (m.num_imported_tables, m.tables.len(), "tables"),
        (m.num_imported_memories, m.memories.len(), "memories"),
        (m.num_imported_globals, m.globals.len(), "globals"),
    ];
    for (imported, total, what) in counts {
        if imported as usize > total {
            return Err(format!("{imported} imported {what} of {total}"));
        }
    }
    if let Some(f) = m
        .funcs
        .iter()
        .find(|f| f.type_index as usize >= m.types.len())
    {
        return Err(format!("function type index {} out of range", f.type_index));
    }
    for b in &m.bodies {
        if b.range.start > b.range.end || b.range.end > len {
            return Err(format!("body range {:?} outside {len} bytes", b.range));
        }
    }
    for d in &m.data {
        if d.range.start > d.range.end || d.range.end > len {
            return Err(format!("data range {:?} outside {len} bytes", d.range));
        }
    }
    for e in &m.exports {
        let space = match e.kind {
            wasmlink_module::ExternKind::Func => m.funcs.len(),
            wasmlink_module::ExternKind::Table => m.tables.len(),
            wasmlink_module::ExternKind::Memory => m.memories.len(),
            wasmlink_module::ExternKind::Global => m.globals.len(),
            wasmlink_module::ExternKind::Tag => m.tags.len(),
        };
        if e.index as usize >= space {
            return Err(format!(
                "export {:?} index {} out of range",
                e.name, e.index
            ));
        }
        m.extern_type(e.kind, e.index);
    }
    for i in &m.imports {
        if m.import_at(i.ty.kind(), i.index).is_none() {
            return Err(format!("import {}.{} not at its index", i.module, i.name));
        }
    }
    if let Some(s) = m.start {
        if s as usize >= m.funcs.len() {
            return Err(format!("start function {s} out of range"));
        }
    }
    for f in 0..m.funcs.len() as u32 {
        m.func_display_name(f);
    }
    for (t, ty) in m.tags.iter().enumerate() {
        if *ty as usize >= m.types.len() {
            return Err(format!("tag {t} type index {ty} out of range"));
        }
        m.tag_display_name(t as u32);
    }
    m.wasi_memory();
    Ok(())
}

/// How far a manifest got.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ManifestStage {
    /// Rejected by the parser.
    Rejected,
    /// Parsed; resolution failed or was skipped.
    Parsed,
    /// Resolved into a graph (and rendered as text and DOT).
    Resolved,
}

/// Parse `text` as a manifest and, when it parses, resolve it. Only the
/// absence of panics is checked; resolution is skipped when a source names
/// an absolute file (the fuzzer could name `/dev/zero`).
pub fn check_manifest(text: &str) -> ManifestStage {
    let Ok(manifest) = parse_manifest_str(text, Path::new(MANIFEST_PATH)) else {
        return ManifestStage::Rejected;
    };
    let absolute = manifest
        .sources
        .values()
        .any(|s| matches!(s, SourceSpec::File(f) if Path::new(f).is_absolute()));
    if absolute {
        return ManifestStage::Parsed;
    }
    match resolve_manifest(&manifest, &LoadOptions::default()) {
        Ok(resolved) => {
            wasmlink_graph::render_text(&resolved);
            wasmlink_graph::render_dot(&resolved);
            ManifestStage::Resolved
        }
        Err(e) => {
            // Messages are built from the input: render them too.
            let _ = e.to_string();
            ManifestStage::Parsed
        }
    }
}

/// Bytes that a buggy encoder or a truncated download could produce.
const INTERESTING_BYTES: &[u8] = &[0x00, 0x01, 0x7f, 0x80, 0xff, 0x0b, 0x40, 0x41, 0x60, 0x70];

/// `input` with 1 to 8 random edits (half of the time one): bit flips, byte changes, inserted,
/// deleted and duplicated runs, over-long LEB128s, truncation.
pub fn mutate(u: &mut Unstructured, input: &[u8]) -> Result<Vec<u8>> {
    let mut out = input.to_vec();
    // Half the mutants have one edit, so many still validate.
    let edits = match u.arbitrary()? {
        true => 1,
        false => u.int_in_range(2..=8)?,
    };
    for _ in 0..edits {
        let at = if out.is_empty() {
            0
        } else {
            u.choose_index(out.len())?
        };
        match u.int_in_range(0..=7)? {
            0 if !out.is_empty() => out[at] ^= 1 << u.int_in_range(0..=7)?,
            1 if !out.is_empty() => out[at] = u.arbitrary()?,
            2 if !out.is_empty() => out[at] = *u.choose(INTERESTING_BYTES)?,
            3 => {
                let n = u.int_in_range(1..=8)?;
                let bytes: Vec<u8> = (0..n).map(|_| u.arbitrary()).collect::<Result<_>>()?;
                out.splice(at..at, bytes);
            }
            4 if !out.is_empty() => {
                let end = (at + u.int_in_range(1..=16)?).min(out.len());
                out.drain(at..end);
            }
            5 if !out.is_empty() => {
                let end = (at + u.int_in_range(1..=16)?).min(out.len());
                let run = out[at..end].to_vec();
                out.splice(at..at, run);
            }
            // A maximal five-byte LEB128 where a count or size may be.
            6 => {
                out.splice(at..at, [0xff, 0xff, 0xff, 0xff, 0x0f]);
            }
            7 => out.truncate(at),
            _ => {}
        }
    }
    Ok(out)
}

/// Node names: sources and instances use the same few names so that
/// imports, facades and entries find each other.
const NAMES: &[&str] = &["a", "b", "c", "api", "env", "main"];
/// Names a careless manifest uses: the WASI module, a namespace, a dotted
/// name, the empty name.
const ODD_NAMES: &[&str] = &["wasi_snapshot_preview1", "api/ns", "a.b", "", "ns"];
const EXPORTS: &[&str] = &[
    "f",
    "g",
    "mem",
    "memory",
    "t",
    "glob",
    "_start",
    "_initialize",
    "fd_write",
    "proc_exit",
];

/// Inline module texts whose imports and exports name each other, so
/// generated graphs link, cycle, mismatch and re-export.
const WATS: &[&str] = &[
    r#"(module (func (export "f") (result i32) i32.const 1) (func (export "_start")))"#,
    r#"(module (import "a" "f" (func (result i32))) (func (export "g") (result i32) call 0) (func (export "_start")))"#,
    r#"(module (import "b" "g" (func (result i32))) (export "f" (func 0)))"#,
    r#"(module (memory (export "mem") 1) (global (export "glob") (mut i32) (i32.const 0)) (table (export "t") 2 funcref) (func (export "f") (result i32) i32.const 2))"#,
    r#"(module (import "a" "mem" (memory 1)) (import "a" "glob" (global (mut i32))) (import "a" "t" (table 1 funcref)) (func (export "_start")))"#,
    r#"(module (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32))) (memory (export "memory") 1) (func (export "_start")))"#,
    r#"(module (import "api" "f" (func (result i32))) (import "api/ns" "g" (func (result i32))) (func (export "_start")))"#,
    r#"(module (import "c" "glob" (global i32)) (global (export "glob") i32 (global.get 0)) (func (export "f") (result i32) i32.const 3))"#,
    r#"(module (func (export "_initialize")) (func $s) (start $s) (func (export "g") (result i32) i32.const 4))"#,
    r#"(module (import "a" "f" (func (param i64))) (func (export "f") (param i32) (result i32) local.get 0))"#,
    r#"(module (import "env" "proc_exit" (func (param i32))) (export "proc_exit" (func 0)) (export "f" (func 0)))"#,
    r#"(module (import "main" "f" (func (result i32))) (export "g" (func 0)) (func (export "_start")))"#,
];
/// Texts and paths that cannot load (invalid, truncated, missing files).
const BAD_SOURCES: &[&str] = &[
    r#"{"wat": "(module (func (result i32)))"}"#,
    r#"{"wat": "(module"}"#,
    r#"{"wat": "\u0000asm"}"#,
    r#"{"wat": "(module (import \"./lib.wasm\" \"f\" (func)))"}"#,
    r#""a.wasm""#,
    r#""../up.wat""#,
    r#""""#,
    r#"{"file": "dir/"}"#,
    r#"{"bytes": [1, 2]}"#,
    r#"{"json": {}}"#,
    r#"{"other": 1}"#,
    r#"{"wat": "(module)", "file": "x.wat"}"#,
    r#"{}"#,
];

fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A JSON value of a type no field expects.
const JUNK: &[&str] = &["null", "42", "[]", "{}", "true", "[\"x\", 1]", "\"\""];

/// The manifest generator. A clean manifest has the right shape everywhere
/// and only sources that load, so it gets to resolution (which then
/// mostly fails on names and types, as it should); a dirty one also has
/// wrong shapes, odd names and sources that cannot load.
struct Gen<'u, 'd> {
    u: &'u mut Unstructured<'d>,
    dirty: bool,
}

impl Gen<'_, '_> {
    /// With a dirty manifest, true once in `n` times.
    fn glitch(&mut self, n: u32) -> Result<bool> {
        Ok(self.dirty && self.u.ratio(1, n)?)
    }

    fn junk(&mut self) -> Result<String> {
        Ok(self.u.choose(JUNK)?.to_string())
    }

    fn name(&mut self) -> Result<String> {
        if self.glitch(8)? {
            if self.u.ratio(1, 4)? {
                return Ok(json_string(self.u.arbitrary::<&str>()?));
            }
            return Ok(json_string(self.u.choose(ODD_NAMES)?));
        }
        Ok(json_string(self.u.choose(NAMES)?))
    }

    fn export(&mut self) -> Result<String> {
        Ok(json_string(self.u.choose(EXPORTS)?))
    }

    fn node_export(&mut self) -> Result<String> {
        let node = self.u.choose(NAMES)?;
        let item = self.u.choose(EXPORTS)?;
        Ok(json_string(&format!("{node}.{item}")))
    }

    /// `{"k": v, …}` with up to `max` generated members.
    fn object(
        &mut self,
        max: u32,
        member: impl Fn(&mut Self) -> Result<(String, String)>,
    ) -> Result<String> {
        let n = self.u.int_in_range(0..=max)?;
        let mut members = Vec::new();
        for _ in 0..n {
            let (k, v) = member(self)?;
            members.push(format!("{k}: {v}"));
        }
        Ok(format!("{{{}}}", members.join(", ")))
    }

    fn binding(&mut self) -> Result<String> {
        if self.glitch(10)? {
            return match self.u.int_in_range(0..=2)? {
                0 => Ok(format!("{{\"import\": {}}}", self.export()?)),
                1 => Ok(format!("{{\"export\": {}, \"from\": 3}}", self.export()?)),
                _ => self.junk(),
            };
        }
        let from = self.name()?;
        let alias = if self.u.ratio(1, 2)? {
            self.export()?
        } else {
            json_string(self.u.choose(&["ns", "x"])?)
        };
        let item = self.export()?;
        Ok(match self.u.int_in_range(0..=7)? {
            0 => format!("{{\"import\": {item}, \"from\": {from}}}"),
            1 => format!("{{\"import\": {item}, \"as\": {alias}, \"from\": {from}}}"),
            2 => format!("{{\"importAllFrom\": {from}, \"as\": {alias}}}"),
            3 => format!("{{\"export\": {item}}}"),
            4 => format!("{{\"export\": {item}, \"as\": {alias}}}"),
            5 => format!("{{\"export\": {item}, \"as\": {alias}, \"from\": {from}}}"),
            6 => format!("{{\"exportAllFrom\": {from}}}"),
            _ => format!("{{\"exportAllFrom\": {from}, \"as\": {alias}}}"),
        })
    }

    fn source(&mut self) -> Result<String> {
        if self.glitch(6)? {
            return Ok(self.u.choose(BAD_SOURCES)?.to_string());
        }
        if self.u.ratio(1, 3)? {
            let n = self.u.int_in_range(0..=4)?;
            let items: Vec<String> = (0..n).map(|_| self.binding()).collect::<Result<_>>()?;
            return Ok(format!("{{\"virtual\": [{}]}}", items.join(", ")));
        }
        Ok(format!(
            "{{\"wat\": {}}}",
            json_string(self.u.choose(WATS)?)
        ))
    }

    fn import_spec(&mut self) -> Result<String> {
        if self.glitch(8)? {
            return match self.u.int_in_range(0..=1)? {
                0 => Ok(format!("{{{}: {}}}", self.export()?, self.name()?)),
                _ => self.junk(),
            };
        }
        if self.u.ratio(1, 2)? {
            return self.name();
        }
        self.object(3, |g| {
            let k = g.export()?;
            Ok((k, g.node_export()?))
        })
    }

    /// An instance of one of `sources` (a clean manifest names only
    /// declared sources).
    fn instance(&mut self, sources: &[String]) -> Result<String> {
        if self.glitch(8)? {
            return match self.u.int_in_range(0..=2)? {
                0 => Ok(format!("{{\"source\": {}, \"extra\": 1}}", self.name()?)),
                1 => Ok("{\"imports\": {}}".into()),
                _ => self.junk(),
            };
        }
        let source = match sources {
            [] => self.name()?,
            _ if self.glitch(4)? => self.name()?,
            _ => json_string(self.u.choose(sources)?),
        };
        if self.u.ratio(1, 3)? {
            return Ok(format!("{{\"source\": {source}}}"));
        }
        let imports = self.object(3, |g| {
            let k = g.name()?;
            Ok((k, g.import_spec()?))
        })?;
        Ok(format!("{{\"source\": {source}, \"imports\": {imports}}}"))
    }

    /// Up to `max` distinct names (a dirty manifest may repeat one, which
    /// the parser must reject as a duplicate key).
    fn names(&mut self, max: u32) -> Result<Vec<String>> {
        let n = self.u.int_in_range(0..=max)?;
        let mut out = Vec::new();
        for _ in 0..n {
            let name = match self.glitch(8)? {
                true => self.u.choose(ODD_NAMES)?.to_string(),
                false => self.u.choose(NAMES)?.to_string(),
            };
            if self.dirty || !out.contains(&name) {
                out.push(name);
            }
        }
        Ok(out)
    }

    fn wasi(&mut self) -> Result<String> {
        let args = match self.u.int_in_range(0..=2)? {
            _ if self.glitch(4)? => self.u.choose(&["\"all\"", "[1]", "{}"])?.to_string(),
            0 => "\"inherit\"".to_string(),
            1 => "[\"prog\", \"-x\"]".to_string(),
            _ => "[]".to_string(),
        };
        let env = match self.u.int_in_range(0..=2)? {
            _ if self.glitch(4)? => self
                .u
                .choose(&["{\"A=B\": \"x\"}", "{\"\": \"x\"}", "7"])?
                .to_string(),
            0 => "\"inherit\"".to_string(),
            1 => "\"none\"".to_string(),
            _ => "{\"HOME\": \"/\", \"K\": \"v\"}".to_string(),
        };
        let preopens = match self.u.int_in_range(0..=1)? {
            _ if self.glitch(4)? => self.u.choose(&["{\"\": \"x\"}", "[\".\"]"])?.to_string(),
            0 => "{\".\": \".\"}".to_string(),
            _ => "{}".to_string(),
        };
        Ok(format!(
            "{{\"args\": {args}, \"env\": {env}, \"preopens\": {preopens}}}"
        ))
    }

    fn manifest(&mut self) -> Result<String> {
        let mut members = Vec::new();
        let sources = self.names(5)?;
        if !self.glitch(8)? {
            let mut items = Vec::new();
            for name in &sources {
                items.push(format!("{}: {}", json_string(name), self.source()?));
            }
            members.push(format!("\"sources\": {{{}}}", items.join(", ")));
        }
        let mut nodes = sources.clone();
        if self.u.ratio(2, 3)? {
            let mut items = Vec::new();
            for name in self.names(4)? {
                items.push(format!(
                    "{}: {}",
                    json_string(&name),
                    self.instance(&sources)?
                ));
                nodes.push(name);
            }
            members.push(format!("\"instances\": {{{}}}", items.join(", ")));
        }
        if self.u.ratio(4, 5)? {
            let entry = match self.u.int_in_range(0..=1)? {
                _ if self.glitch(6)? => self.junk()?,
                _ if nodes.is_empty() => self.name()?,
                0 => {
                    let node = self.u.choose(&nodes)?;
                    let item = self.u.choose(EXPORTS)?;
                    json_string(&format!("{node}.{item}"))
                }
                _ => json_string(self.u.choose(&nodes)?),
            };
            members.push(format!("\"entry\": {entry}"));
        }
        if self.u.ratio(1, 3)? {
            members.push(format!("\"wasi\": {}", self.wasi()?));
        }
        if self.glitch(8)? {
            members.push(format!(
                "{}: 1",
                json_string(self.u.choose(&["sources", "extra", "entry"])?)
            ));
        }
        let text = format!("{{{}}}", members.join(", "));
        if self.glitch(6)? {
            let bytes = mutate(self.u, text.as_bytes())?;
            return Ok(String::from_utf8_lossy(&bytes).into_owned());
        }
        Ok(text)
    }
}

/// A manifest: half of them clean (the right shape, names that refer to
/// each other, sources that load, so resolution runs), half dirty (wrong
/// shapes, unknown and duplicate keys, odd names, sources that cannot load,
/// and sometimes the text cut or edited).
pub fn manifest(u: &mut Unstructured) -> Result<String> {
    let dirty = u.arbitrary()?;
    Gen { u, dirty }.manifest()
}
