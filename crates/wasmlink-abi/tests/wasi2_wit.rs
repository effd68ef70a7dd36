//! The WASI 0.2 rows of `foreach_wasi2_fn!` checked against the real WIT.
//!
//! The rows are written by hand in `src/wasi2.rs`; this test parses the
//! newest 0.2.x WIT (the `wit/deps/` directory the `wasip2` crate ships,
//! a dev-dependency pinned in Cargo.toml) with `wit-parser`, flattens every
//! stable function of the interfaces the runtime implements with the
//! canonical ABI's rules for a lowered import (at most 16 flat parameters,
//! else one pointer; at most 1 flat result, else a return pointer
//! parameter), adds the `[resource-drop]` function of every resource, and
//! requires the rows to be exactly that set: same core names, same
//! signatures, nothing missing, nothing extra.
//!
//! On a mismatch the failure prints the rows the WIT gives, in the rows'
//! format, so a new WIT version can be reviewed and taken over.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;
use wit_parser::abi::{AbiVariant, FlatTypes, WasmType};
use wit_parser::{Resolve, Type, TypeDefKind};

/// The packages whose interfaces the runtime provides (`wasi:http` is not
/// one of them).
const PACKAGES: &[&str] = &["cli", "io", "clocks", "random", "filesystem", "sockets"];

/// The version of the WIT read (the newest 0.2.x on the registry when the
/// rows were written).
const WIT_VERSION: &str = "0.2.12";

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Row {
    interface: String,
    func: String,
    ident: String,
    params: Vec<(String, &'static str)>,
    result: &'static str,
}

impl Row {
    fn text(&self) -> String {
        let params: Vec<String> = self
            .params
            .iter()
            .map(|(n, t)| format!("{n}: {t}"))
            .collect();
        format!(
            "\"{}\" \"{}\" {}({}) -> {};",
            self.interface,
            self.func,
            self.ident,
            params.join(", "),
            self.result
        )
    }
}

macro_rules! rows {
    ($( $iface:literal $func:literal $name:ident [$symbol:expr] ( $($p:ident : $t:ident),* ) -> $r:tt; )*) => {
        vec![$({
            assert_eq!($symbol, concat!("wasmlink_wasi2_", stringify!($name)));
            Row {
                interface: $iface.to_string(),
                func: $func.to_string(),
                ident: stringify!($name).to_string(),
                params: vec![$((stringify!($p).to_string(), stringify!($t))),*],
                result: stringify!($r),
            }
        }),*]
    };
}

/// The `wit/deps` directory of the `wasip2` dev-dependency, found through
/// `cargo metadata` (the registry copy cargo downloaded for this build).
fn wit_dir() -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml");
    let out = Command::new(cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--manifest-path",
            manifest,
        ])
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).expect("metadata is JSON");
    let pkg = meta["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .find(|p| p["name"] == "wasip2")
        .expect("the wasip2 dev-dependency is in the metadata");
    let manifest = PathBuf::from(pkg["manifest_path"].as_str().expect("manifest_path"));
    manifest.parent().expect("crate directory").join("wit")
}

fn core_type(t: WasmType) -> &'static str {
    match t {
        WasmType::I32 | WasmType::Pointer | WasmType::Length => "i32",
        WasmType::I64 | WasmType::PointerOrI64 => "i64",
        WasmType::F32 => "f32",
        WasmType::F64 => "f64",
    }
}

fn ident_part(s: &str) -> String {
    s.replace('-', "_")
}

/// `wasi:io/streams` + `[method]output-stream.write` →
/// `io_streams_output_stream_write`.
fn row_ident(pkg: &str, iface: &str, func: &str) -> String {
    let tail = if let Some(r) = func.strip_prefix("[resource-drop]") {
        format!("{r}.drop")
    } else if let Some(r) = func.strip_prefix("[constructor]") {
        format!("{r}.new")
    } else if let Some(rest) = func.strip_prefix('[') {
        rest.split_once(']').map_or(func, |(_, f)| f).to_string()
    } else {
        func.to_string()
    };
    ident_part(&format!("{pkg}_{iface}_{}", tail.replace('.', "_")))
}

fn flat_count(resolve: &Resolve, ty: &Type) -> Option<Vec<WasmType>> {
    let mut storage = [WasmType::I32; 64];
    let mut flat = FlatTypes::new(&mut storage);
    resolve.push_flat(ty, &mut flat).then(|| flat.to_vec())
}

fn rows_from_wit() -> Vec<Row> {
    let dir = wit_dir();
    let mut resolve = Resolve::default();
    resolve
        .push_dir(&dir)
        .unwrap_or_else(|e| panic!("parse {}: {e:?}", dir.display()));
    let mut rows = Vec::new();
    for (_, iface) in &resolve.interfaces {
        let Some(pkg_id) = iface.package else {
            continue;
        };
        let pkg = &resolve.packages[pkg_id].name;
        if pkg.namespace != "wasi" || !PACKAGES.contains(&pkg.name.as_str()) {
            continue;
        }
        assert_eq!(
            pkg.version.as_ref().map(|v| v.to_string()).as_deref(),
            Some(WIT_VERSION),
            "WIT version of wasi:{}",
            pkg.name
        );
        let iface_name = iface.name.clone().expect("named interface");
        if pkg.name == "cli" && iface_name == "run" {
            // Exported by a command, never imported.
            continue;
        }
        let interface = format!("wasi:{}/{}", pkg.name, iface_name);
        for f in iface.functions.values() {
            let sig = resolve.wasm_signature(AbiVariant::GuestImport, f);
            let mut params = Vec::new();
            if sig.indirect_params {
                params.push(("params".to_string(), "i32"));
            } else {
                for p in &f.params {
                    let flat = flat_count(&resolve, &p.ty).expect("fits");
                    let base = match p.name.as_str() {
                        "self" => "this".to_string(),
                        n => ident_part(n),
                    };
                    if flat.len() == 1 {
                        params.push((base, core_type(flat[0])));
                    } else {
                        for (i, t) in flat.iter().enumerate() {
                            params.push((format!("{base}_{i}"), core_type(*t)));
                        }
                    }
                }
            }
            if sig.retptr {
                params.push(("ret".to_string(), "i32"));
            }
            // Cross-check the per-parameter flattening with the whole
            // signature.
            let types: Vec<&str> = sig.params.iter().map(|t| core_type(*t)).collect();
            let mine: Vec<&str> = params.iter().map(|p| p.1).collect();
            assert_eq!(types, mine, "{interface} {}", f.name);
            let result = match sig.results.as_slice() {
                [] => "()",
                [t] => core_type(*t),
                _ => panic!("more than one flat result"),
            };
            rows.push(Row {
                ident: row_ident(&pkg.name, &iface_name, &f.name),
                interface: interface.clone(),
                func: f.name.clone(),
                params,
                result,
            });
        }
        for (name, ty) in &iface.types {
            if matches!(resolve.types[*ty].kind, TypeDefKind::Resource) {
                let func = format!("[resource-drop]{name}");
                rows.push(Row {
                    ident: row_ident(&pkg.name, &iface_name, &func),
                    interface: interface.clone(),
                    func,
                    params: vec![("handle".to_string(), "i32")],
                    result: "()",
                });
            }
        }
    }
    rows
}

#[test]
fn rows_match_the_newest_wasi_0_2_wit() {
    let wit = rows_from_wit();
    let ours: Vec<Row> = wasmlink_abi::foreach_wasi2_fn!(rows);
    // Core names identify a row; the rest must agree exactly.
    let key = |r: &Row| (r.interface.clone(), r.func.clone());
    let wit_map: BTreeMap<_, _> = wit.iter().map(|r| (key(r), r)).collect();
    let our_map: BTreeMap<_, _> = ours.iter().map(|r| (key(r), r)).collect();
    assert_eq!(our_map.len(), ours.len(), "duplicate rows");
    let mut problems = Vec::new();
    for (k, w) in &wit_map {
        match our_map.get(k) {
            None => problems.push(format!("missing: {}", w.text())),
            Some(o) if o != w => problems.push(format!(
                "differs:\n  ours {}\n  wit  {}",
                o.text(),
                w.text()
            )),
            Some(_) => {}
        }
    }
    for (k, o) in &our_map {
        if !wit_map.contains_key(k) {
            problems.push(format!("not in the WIT: {}", o.text()));
        }
    }
    if !problems.is_empty() {
        let mut all = String::new();
        let mut last = String::new();
        for r in &wit {
            if r.interface != last {
                all.push_str(&format!("\n// {}\n", r.interface));
                last = r.interface.clone();
            }
            all.push_str(&r.text());
            all.push('\n');
        }
        panic!(
            "{} row(s) disagree with the WIT:\n{}\n\nthe WIT's rows:{all}",
            problems.len(),
            problems.join("\n")
        );
    }
    // Identifiers (and so runtime symbols) are unique.
    let mut idents: Vec<&str> = ours.iter().map(|r| r.ident.as_str()).collect();
    idents.sort_unstable();
    idents.dedup();
    assert_eq!(idents.len(), ours.len());
}
