//! The manifest format (`app.json`), as `/work/shared/DESIGN.md` defines it.
//!
//! Parsing checks the shape (unknown keys, duplicate keys, the forms of
//! sources, imports, virtual bindings and WASI settings) and reports JSON
//! errors with line and column; [`Manifest::check`] then checks the names
//! the manifest uses among themselves. Files are not touched here.

use crate::error::GraphError;
use crate::facade::VirtualBinding;
use crate::instance_graph::{WasiArgs, WasiConfig, WasiEnv};
use indexmap::IndexMap;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::fmt;
use std::path::{Path, PathBuf};

/// A parsed manifest. Paths inside are as written; they are relative to
/// `base_dir`.
#[derive(Clone, Debug, PartialEq)]
pub struct Manifest {
    /// The manifest's own path (for messages).
    pub path: PathBuf,
    /// The directory file paths are relative to: the manifest's directory.
    pub base_dir: PathBuf,
    pub sources: IndexMap<String, SourceSpec>,
    pub instances: IndexMap<String, InstanceSpec>,
    /// `"instance"` (its `_start`) or `"instance.export"`.
    pub entry: Option<String>,
    pub wasi: WasiConfig,
}

/// One entry of `sources`.
#[derive(Clone, Debug, PartialEq)]
pub enum SourceSpec {
    /// `"app.wasm"` or `{"file": "app.wasm"}`: a `.wasm` or `.wat` file.
    File(String),
    /// `{"wat": "(module …)"}`: inline text.
    Wat(String),
    /// `{"virtual": [bindings]}`: a facade.
    Virtual(Vec<VirtualBinding>),
    /// `{"bytes": …}` or `{"json": …}`: data sources, accepted by the
    /// parser and rejected when loaded (not supported yet). `kind` is the key.
    Data { kind: String },
}

/// One entry of `instances`.
#[derive(Clone, Debug, PartialEq)]
pub struct InstanceSpec {
    pub source: String,
    /// Resolution rule 1: import module name → how to bind it.
    pub imports: IndexMap<String, ImportSpec>,
}

/// How an instance binds one import module (rule 1).
#[derive(Clone, Debug, PartialEq)]
pub enum ImportSpec {
    /// `"M": "node"`: every name of module M comes from that node.
    Node(String),
    /// `"M": {"N": "node.export"}`: per name. Names not listed fall through
    /// to rules 2–5.
    Names(IndexMap<String, String>),
}

/// Parse a manifest from text. `path` is the manifest's path: it is used in
/// messages and its directory is the base of relative file paths (the file
/// itself is not read).
pub fn parse_manifest_str(text: &str, path: &Path) -> Result<Manifest, GraphError> {
    let raw: RawManifest = serde_json::from_str(text).map_err(|e| {
        let full = e.to_string();
        let suffix = format!(" at line {} column {}", e.line(), e.column());
        let message = full.strip_suffix(&suffix).unwrap_or(&full).to_string();
        GraphError::ManifestSyntax {
            path: path.to_path_buf(),
            line: e.line(),
            column: e.column(),
            message,
        }
    })?;
    let base_dir = path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    let wasi = raw.wasi.unwrap_or_default();
    let manifest = Manifest {
        path: path.to_path_buf(),
        base_dir,
        sources: raw.sources.0,
        instances: raw.instances.0,
        entry: raw.entry,
        wasi: WasiConfig {
            args: wasi.args.unwrap_or_default(),
            env: wasi.env.unwrap_or_default(),
            preopens: wasi
                .preopens
                .map(|m| m.0.into_iter().collect())
                .unwrap_or_default(),
        },
    };
    manifest.check()?;
    Ok(manifest)
}

impl Manifest {
    fn error(&self, message: String) -> GraphError {
        GraphError::Manifest {
            path: self.path.clone(),
            message,
        }
    }

    /// Check the names the manifest uses among themselves: every instance
    /// names a declared source, no name is empty, WASI settings are usable.
    pub fn check(&self) -> Result<(), GraphError> {
        for (name, spec) in &self.sources {
            if name.is_empty() {
                return Err(self.error("a source name must not be empty".into()));
            }
            match spec {
                SourceSpec::File(f) if f.is_empty() => {
                    return Err(self.error(format!("source \"{name}\" has an empty file path")))
                }
                _ => {}
            }
        }
        for (name, inst) in &self.instances {
            if name.is_empty() {
                return Err(self.error("an instance name must not be empty".into()));
            }
            if !self.sources.contains_key(&inst.source) {
                return Err(self.error(format!(
                    "instance \"{name}\" names source \"{}\", which is not in \"sources\" (available: {})",
                    inst.source,
                    list(self.sources.keys())
                )));
            }
            for (module, spec) in &inst.imports {
                match spec {
                    ImportSpec::Node(node) if node.is_empty() => {
                        return Err(self.error(format!(
                        "instance \"{name}\" maps import module \"{module}\" to an empty node name"
                    )))
                    }
                    _ => {}
                }
            }
        }
        if let Some(entry) = &self.entry {
            if entry.is_empty() {
                return Err(self.error("\"entry\" must not be empty".into()));
            }
        }
        if let WasiEnv::Fixed(vars) = &self.wasi.env {
            for (k, _) in vars {
                if k.is_empty() || k.contains('=') || k.contains('\0') {
                    return Err(self.error(format!(
                        "wasi.env: \"{k}\" is not a valid environment variable name"
                    )));
                }
            }
        }
        for (guest, host) in &self.wasi.preopens {
            if guest.is_empty() || host.is_empty() {
                return Err(self.error(format!(
                    "wasi.preopens: \"{guest}\" → \"{host}\": neither path may be empty"
                )));
            }
        }
        Ok(())
    }
}

/// `a, b, c` (or `(none)`).
pub(crate) fn list<I, S>(names: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let v: Vec<String> = names.into_iter().map(|s| s.as_ref().to_string()).collect();
    if v.is_empty() {
        "(none)".into()
    } else {
        v.join(", ")
    }
}

// ---------------------------------------------------------------------------
// Serde shapes.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawManifest {
    #[serde(default)]
    sources: UniqueMap<SourceSpec>,
    #[serde(default)]
    instances: UniqueMap<InstanceSpec>,
    #[serde(default)]
    entry: Option<String>,
    #[serde(default)]
    wasi: Option<RawWasi>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawWasi {
    #[serde(default)]
    args: Option<WasiArgs>,
    #[serde(default)]
    env: Option<WasiEnv>,
    #[serde(default)]
    preopens: Option<UniqueMap<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInstance {
    source: String,
    #[serde(default)]
    imports: UniqueMap<ImportSpec>,
}

impl<'de> Deserialize<'de> for InstanceSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = RawInstance::deserialize(d)?;
        Ok(InstanceSpec {
            source: raw.source,
            imports: raw.imports.0,
        })
    }
}

/// A JSON object whose keys must be unique, kept in order.
pub(crate) struct UniqueMap<V>(pub IndexMap<String, V>);

impl<V> Default for UniqueMap<V> {
    fn default() -> Self {
        UniqueMap(IndexMap::new())
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for UniqueMap<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V_<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for V_<V> {
            type Value = UniqueMap<V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = IndexMap::new();
                while let Some(key) = map.next_key::<String>()? {
                    if out.contains_key(&key) {
                        return Err(de::Error::custom(format!("duplicate key \"{key}\"")));
                    }
                    let value = map.next_value()?;
                    out.insert(key, value);
                }
                Ok(UniqueMap(out))
            }
        }
        d.deserialize_map(V_(std::marker::PhantomData))
    }
}

const SOURCE_FORMS: &str =
    "a file path, {\"file\": path}, {\"wat\": text} or {\"virtual\": [bindings]}";

impl<'de> Deserialize<'de> for SourceSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = SourceSpec;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                write!(f, "a source: {SOURCE_FORMS}")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<SourceSpec, E> {
                Ok(SourceSpec::File(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<SourceSpec, A::Error> {
                let Some(key) = map.next_key::<String>()? else {
                    return Err(de::Error::custom(format!(
                        "empty source object; expected {SOURCE_FORMS}"
                    )));
                };
                let spec = match key.as_str() {
                    "file" => SourceSpec::File(map.next_value()?),
                    "wat" => SourceSpec::Wat(map.next_value()?),
                    "virtual" => SourceSpec::Virtual(map.next_value()?),
                    "bytes" | "json" => {
                        map.next_value::<IgnoredAny>()?;
                        SourceSpec::Data { kind: key.clone() }
                    }
                    other => {
                        return Err(de::Error::unknown_field(
                            other,
                            &["file", "wat", "virtual", "bytes", "json"],
                        ))
                    }
                };
                if let Some(extra) = map.next_key::<String>()? {
                    return Err(de::Error::custom(format!(
                        "a source object has exactly one key, but \"{key}\" comes with \"{extra}\""
                    )));
                }
                Ok(spec)
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for ImportSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ImportSpec;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a node name, or an object mapping import names to \"node.export\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ImportSpec, E> {
                Ok(ImportSpec::Node(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ImportSpec, A::Error> {
                let mut out = IndexMap::new();
                while let Some(key) = map.next_key::<String>()? {
                    if out.contains_key(&key) {
                        return Err(de::Error::custom(format!("duplicate key \"{key}\"")));
                    }
                    let target: String = map.next_value()?;
                    if !is_node_export(&target) {
                        return Err(de::Error::custom(format!(
                            "import \"{key}\" maps to \"{target}\", which is not of the form \"node.export\""
                        )));
                    }
                    out.insert(key, target);
                }
                Ok(ImportSpec::Names(out))
            }
        }
        d.deserialize_any(V)
    }
}

/// `node.export` with both parts non-empty for at least one dot.
pub(crate) fn is_node_export(s: &str) -> bool {
    s.match_indices('.').any(|(i, _)| i > 0 && i + 1 < s.len())
}

impl<'de> Deserialize<'de> for WasiArgs {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = WasiArgs;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("\"inherit\" or a list of strings")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<WasiArgs, E> {
                match v {
                    "inherit" => Ok(WasiArgs::Inherit),
                    other => Err(E::custom(format!(
                        "wasi.args is \"inherit\" or a list of strings, not \"{other}\""
                    ))),
                }
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<WasiArgs, A::Error> {
                let mut out = Vec::new();
                while let Some(s) = seq.next_element::<String>()? {
                    out.push(s);
                }
                Ok(WasiArgs::Fixed(out))
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for WasiEnv {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = WasiEnv;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("\"inherit\", \"none\" or an object of strings")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<WasiEnv, E> {
                match v {
                    "inherit" => Ok(WasiEnv::Inherit),
                    "none" => Ok(WasiEnv::None),
                    other => Err(E::custom(format!(
                        "wasi.env is \"inherit\", \"none\" or an object {{\"NAME\": \"value\"}}, not \"{other}\""
                    ))),
                }
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<WasiEnv, A::Error> {
                let m: UniqueMap<String> =
                    Deserialize::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(WasiEnv::Fixed(m.0.into_iter().collect()))
            }
        }
        d.deserialize_any(V)
    }
}
