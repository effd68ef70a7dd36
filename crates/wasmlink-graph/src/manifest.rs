//! The manifest format (`app.json`), as `/work/shared/DESIGN.md` defines it.
//!
//! Parsing checks the shape (unknown keys, duplicate keys, the forms of
//! sources, imports, virtual bindings and WASI settings) and reports JSON
//! errors with line and column; [`Manifest::check`] then checks the names
//! the manifest uses among themselves. Files are not touched here.
//!
//! WASI strings (arguments, environment names and values, preopened paths)
//! end up as C strings in the program: a NUL character in one is rejected
//! while parsing, with its line and column, since it would cut the string
//! short (and used to let one value pose as several configuration records).

use crate::display::{shown_name, LIST_LIMIT};
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
            preopens: wasi.preopens.map(|p| p.0).unwrap_or_default(),
            runtime_flags: wasi.runtime_flags.unwrap_or(true),
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
        if let Some(problem) = nul_in_wasi(&self.wasi) {
            return Err(self.error(problem));
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

/// Why a WASI string cannot be passed to the program: it holds a NUL.
/// `what` names the string (`wasi.args:`, `wasi.env: the name`); the value
/// follows it in quotes.
fn nul_problem(what: &str, value: &str) -> Option<String> {
    value.contains('\0').then(|| {
        format!(
            "{what} \"{}\" holds a NUL character, which a program cannot be given",
            shown_name(value)
        )
    })
}

/// [`nul_problem`] for the value of environment variable `name`.
fn env_value_nul_problem(name: &str, value: &str) -> Option<String> {
    value.contains('\0').then(|| {
        format!(
            "wasi.env: the value of \"{}\" (\"{}\") holds a NUL character, which a program cannot be given",
            shown_name(name),
            shown_name(value)
        )
    })
}

/// The first WASI string of `wasi` holding a NUL, described. Parsing
/// already rejects these with a position; this covers manifests built in
/// code.
fn nul_in_wasi(wasi: &WasiConfig) -> Option<String> {
    if let WasiArgs::Fixed(args) = &wasi.args {
        for a in args {
            if let Some(p) = nul_problem("wasi.args:", a) {
                return Some(p);
            }
        }
    }
    if let WasiEnv::Fixed(vars) = &wasi.env {
        for (k, v) in vars {
            let p = nul_problem("wasi.env: the name", k).or_else(|| env_value_nul_problem(k, v));
            if p.is_some() {
                return p;
            }
        }
    }
    for (guest, host) in &wasi.preopens {
        let p = nul_problem("wasi.preopens: the guest path", guest)
            .or_else(|| nul_problem("wasi.preopens: the host path", host));
        if p.is_some() {
            return p;
        }
    }
    None
}

/// `a, b, c` (or `(none)`), each name as [`shown_name`] shows it; past
/// [`LIST_LIMIT`] names, the rest are counted rather than listed.
pub(crate) fn list<I, S>(names: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut shown: Vec<String> = Vec::new();
    let mut more = 0usize;
    for name in names {
        if shown.len() < LIST_LIMIT {
            shown.push(shown_name(name.as_ref()));
        } else {
            more += 1;
        }
    }
    if shown.is_empty() {
        return "(none)".into();
    }
    let mut text = shown.join(", ");
    if more > 0 {
        text.push_str(&format!(" and {more} more"));
    }
    text
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
    preopens: Option<Preopens>,
    #[serde(default)]
    runtime_flags: Option<bool>,
}

/// `wasi.preopens`: guest path → host path, unique guest paths, no NULs.
struct Preopens(Vec<(String, String)>);

impl<'de> Deserialize<'de> for Preopens {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Preopens;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object mapping guest paths to host paths")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Preopens, A::Error> {
                let mut out: IndexMap<String, String> = IndexMap::new();
                while let Some(guest) = map.next_key::<String>()? {
                    if out.contains_key(&guest) {
                        return Err(de::Error::custom(format!("duplicate key \"{guest}\"")));
                    }
                    if let Some(p) = nul_problem("wasi.preopens: the guest path", &guest) {
                        return Err(de::Error::custom(p));
                    }
                    let host: String = map.next_value()?;
                    if let Some(p) = nul_problem("wasi.preopens: the host path", &host) {
                        return Err(de::Error::custom(p));
                    }
                    out.insert(guest, host);
                }
                Ok(Preopens(out.into_iter().collect()))
            }
        }
        d.deserialize_map(V)
    }
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
                    if let Some(p) = nul_problem("wasi.args:", &s) {
                        return Err(de::Error::custom(p));
                    }
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
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<WasiEnv, A::Error> {
                let mut out: IndexMap<String, String> = IndexMap::new();
                while let Some(name) = map.next_key::<String>()? {
                    if out.contains_key(&name) {
                        return Err(de::Error::custom(format!("duplicate key \"{name}\"")));
                    }
                    if let Some(p) = nul_problem("wasi.env: the name", &name) {
                        return Err(de::Error::custom(p));
                    }
                    let value: String = map.next_value()?;
                    if let Some(p) = env_value_nul_problem(&name, &value) {
                        return Err(de::Error::custom(p));
                    }
                    out.insert(name, value);
                }
                Ok(WasiEnv::Fixed(out.into_iter().collect()))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Manifest, GraphError> {
        parse_manifest_str(text, Path::new("dir/app.json"))
    }

    fn syntax_error(text: &str) -> (usize, usize, String) {
        match parse(text) {
            Err(GraphError::ManifestSyntax {
                line,
                column,
                message,
                ..
            }) => (line, column, message),
            other => panic!("expected a syntax error, got {other:?}"),
        }
    }

    #[test]
    fn nul_in_wasi_strings_is_rejected_with_its_position() {
        // The value that used to smuggle a preopen of `/` past the manifest.
        let text = "{\n  \"wasi\": {\n    \"args\": [\"prog\", \"x\\u0000preopen\\u0000/host-root\\u0000/\"]\n  }\n}";
        let (line, column, message) = syntax_error(text);
        assert_eq!((line, column), (3, 61)); // the end of the offending string
        assert_eq!(
            message,
            r#"wasi.args: "x\0preopen\0/host-root\0/" holds a NUL character, which a program cannot be given"#
        );
        let shown = parse(text).unwrap_err().to_string();
        assert!(
            shown.starts_with("dir/app.json:3:61: invalid manifest: wasi.args:"),
            "{shown}"
        );

        let (line, _, message) =
            syntax_error("{\"wasi\": {\"env\": {\"A\": \"1\",\n \"B\": \"x\\u0000y\"}}}");
        assert_eq!(line, 2);
        assert_eq!(
            message,
            r#"wasi.env: the value of "B" ("x\0y") holds a NUL character, which a program cannot be given"#
        );
        let (_, _, message) = syntax_error(r#"{"wasi": {"env": {"A\u0000B": "1"}}}"#);
        assert!(
            message.starts_with(r#"wasi.env: the name "A\0B" holds"#),
            "{message}"
        );
        let (_, _, message) = syntax_error(r#"{"wasi": {"preopens": {"/d": "/tmp\u0000/"}}}"#);
        assert!(
            message.starts_with(r#"wasi.preopens: the host path "/tmp\0/" holds"#),
            "{message}"
        );
        let (_, _, message) = syntax_error(r#"{"wasi": {"preopens": {"/d\u0000": "/tmp"}}}"#);
        assert!(
            message.starts_with(r#"wasi.preopens: the guest path "/d\0" holds"#),
            "{message}"
        );
        // Duplicates are still caught.
        let (_, _, message) = syntax_error(r#"{"wasi": {"preopens": {"/d": "a", "/d": "b"}}}"#);
        assert_eq!(message, r#"duplicate key "/d""#);
    }

    #[test]
    fn check_rejects_nul_in_manifests_built_in_code() {
        let mut m = parse("{}").unwrap();
        m.wasi.preopens = vec![("/".into(), "/a\0b".into())];
        let e = m.check().unwrap_err().to_string();
        assert_eq!(
            e,
            r#"dir/app.json: wasi.preopens: the host path "/a\0b" holds a NUL character, which a program cannot be given"#
        );
        m.wasi.preopens.clear();
        m.wasi.args = WasiArgs::Fixed(vec!["\0".into()]);
        assert!(m.check().is_err());
    }

    #[test]
    fn runtime_flags_setting() {
        assert!(parse("{}").unwrap().wasi.runtime_flags);
        assert!(
            parse(r#"{"wasi": {"runtime_flags": true}}"#)
                .unwrap()
                .wasi
                .runtime_flags
        );
        assert!(
            !parse(r#"{"wasi": {"runtime_flags": false}}"#)
                .unwrap()
                .wasi
                .runtime_flags
        );
        let (_, _, message) = syntax_error(r#"{"wasi": {"runtime_flags": "no"}}"#);
        assert!(message.contains("expected a boolean"), "{message}");
    }

    #[test]
    fn lists_show_names_safely() {
        assert_eq!(list(Vec::<String>::new()), "(none)");
        assert_eq!(list(["a", "b\u{1b}[2K"]), "a, b\\x1b[2K");
        let long = "x".repeat(1000);
        assert_eq!(list([long.as_str()]), format!("{}…", "x".repeat(200)));
        let many: Vec<String> = (0..60).map(|i| format!("e{i}")).collect();
        let text = list(&many);
        assert!(text.starts_with("e0, e1, "), "{text}");
        assert!(text.ends_with("e49 and 10 more"), "{text}");
    }
}
