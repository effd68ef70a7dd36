//! How the manifest reads as JSON: the serde shapes of `app.json`, with
//! the checks that must point at a line and column (unknown and duplicate
//! keys, the forms of sources, import maps and WASI settings, NULs in WASI
//! strings). Virtual bindings read themselves (`virtual_binding`).

use super::spec::{
    env_value_nul_problem, nul_problem, ImportSpec, InstanceSpec, PreinitSpec, SourceSpec,
};
use crate::data::canonical_json::CanonicalJson;
use crate::data::DataSpec;
use crate::instance_graph::{WasiArgs, WasiEnv};
use indexmap::IndexMap;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::fmt;

/// A struct read only from a JSON object. Derived `Deserialize` also takes
/// an array of the fields in order (`[sources, instances, entry, wasi]`)
/// and names the Rust type in messages; the manifest's objects must be
/// objects, and messages say what the manifest expects.
pub(super) struct Object<T>(pub T);

/// What an [`Object`] is called in "expected …" messages.
pub(super) trait Expected {
    const WHAT: &'static str;
}

impl<'de, T: Deserialize<'de> + Expected> Deserialize<'de> for Object<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de> + Expected> Visitor<'de> for V<T> {
            type Value = Object<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(T::WHAT)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Object<T>, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map)).map(Object)
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}

impl Expected for RawManifest {
    const WHAT: &'static str =
        "a manifest: an object with \"sources\", \"instances\", \"entry\", \"wasi\" and \"preinit\"";
}

impl Expected for RawWasi {
    const WHAT: &'static str =
        "the WASI settings: an object with \"args\", \"env\", \"preopens\", \"embed\", \"runtime_flags\", \"inherit_network\", \"allow_ip_name_lookup\" and \"max_threads\"";
}

impl Expected for RawInstance {
    const WHAT: &'static str =
        "an instance: an object with \"source\" and, optionally, \"imports\"";
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawManifest {
    #[serde(default)]
    pub sources: UniqueMap<SourceSpec>,
    #[serde(default)]
    pub instances: UniqueMap<InstanceSpec>,
    #[serde(default)]
    pub entry: Option<String>,
    #[serde(default)]
    pub wasi: Option<Object<RawWasi>>,
    #[serde(default)]
    pub preinit: Option<RawPreinit>,
}

/// `preinit`: `true`, `false` or `{"export": name}`.
pub(super) struct RawPreinit(pub Option<PreinitSpec>);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPreinitObject {
    export: String,
}

impl<'de> Deserialize<'de> for RawPreinit {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawPreinit;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("preinit: true, false or {\"export\": name}")
            }
            fn visit_bool<E: de::Error>(self, on: bool) -> Result<RawPreinit, E> {
                Ok(RawPreinit(on.then(PreinitSpec::default)))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawPreinit, A::Error> {
                let o = RawPreinitObject::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(RawPreinit(Some(PreinitSpec {
                    export: Some(o.export),
                })))
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawWasi {
    #[serde(default)]
    pub args: Option<WasiArgs>,
    #[serde(default)]
    pub env: Option<WasiEnv>,
    #[serde(default)]
    pub preopens: Option<Preopens>,
    #[serde(default)]
    pub embed: Option<Embeds>,
    #[serde(default)]
    pub runtime_flags: Option<bool>,
    #[serde(default)]
    pub inherit_network: Option<bool>,
    #[serde(default)]
    pub allow_ip_name_lookup: Option<bool>,
    #[serde(default)]
    pub max_threads: Option<MaxThreads>,
}

/// `wasi.max_threads`: a number from 0 to `MAX_THREADS_LIMIT`.
pub(super) struct MaxThreads(pub u32);

impl<'de> Deserialize<'de> for MaxThreads {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n = u64::deserialize(d)?;
        match u32::try_from(n) {
            Ok(n) if n <= wasmlink_abi::MAX_THREADS_LIMIT => Ok(MaxThreads(n)),
            _ => Err(de::Error::custom(format!(
                "wasi.max_threads: {n} is more than {} threads",
                wasmlink_abi::MAX_THREADS_LIMIT
            ))),
        }
    }
}

/// `wasi.preopens`: guest path → host path, unique guest paths, no NULs.
pub(super) struct Preopens(pub Vec<(String, String)>);

/// `wasi.embed`: guest path → host path (read at build time), unique
/// guest paths, no NULs.
pub(super) struct Embeds(pub Vec<(String, String)>);

/// Read an object mapping guest paths to host paths for the setting
/// `what` (`wasi.preopens`, `wasi.embed`).
fn path_map<'de, A: MapAccess<'de>>(
    mut map: A,
    what: &str,
) -> Result<Vec<(String, String)>, A::Error> {
    let mut out: IndexMap<String, String> = IndexMap::new();
    while let Some(guest) = map.next_key::<String>()? {
        if out.contains_key(&guest) {
            return Err(de::Error::custom(format!("duplicate key \"{guest}\"")));
        }
        if let Some(p) = nul_problem(&format!("{what}: the guest path"), &guest) {
            return Err(de::Error::custom(p));
        }
        let host: String = map.next_value()?;
        if let Some(p) = nul_problem(&format!("{what}: the host path"), &host) {
            return Err(de::Error::custom(p));
        }
        out.insert(guest, host);
    }
    Ok(out.into_iter().collect())
}

impl<'de> Deserialize<'de> for Preopens {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Preopens;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object mapping guest paths to host paths")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Preopens, A::Error> {
                path_map(map, "wasi.preopens").map(Preopens)
            }
        }
        d.deserialize_map(V)
    }
}

impl<'de> Deserialize<'de> for Embeds {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Embeds;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object mapping guest paths to host files or directories")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Embeds, A::Error> {
                path_map(map, "wasi.embed").map(Embeds)
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
        let Object(raw) = Object::<RawInstance>::deserialize(d)?;
        Ok(InstanceSpec {
            source: raw.source,
            imports: raw.imports.0,
        })
    }
}

/// A JSON object whose keys must be unique, kept in order.
pub(super) struct UniqueMap<V>(pub IndexMap<String, V>);

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
    "a file path, {\"file\": path}, {\"wat\": text}, {\"virtual\": [bindings]}, {\"bytes\": path} or {\"json\": path or value}";

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
                    "bytes" => SourceSpec::Data(DataSpec::Bytes(map.next_value()?)),
                    "json" => SourceSpec::Data(match map.next_value::<CanonicalJson>()? {
                        CanonicalJson::String(file) => DataSpec::JsonFile(file),
                        value => DataSpec::JsonInline(value),
                    }),
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
fn is_node_export(s: &str) -> bool {
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
