//! The bindings of a virtual source (a facade), as the manifest writes
//! them: the forms of the Virtual Module Sources proposal, read for Wasm
//! (`{"import": …, "from": …}`, `{"exportAllFrom": …, "as": …}`, …).
//! Each binding is checked inside its JSON object, so that a bad one is
//! reported with its line and column. What the bindings mean is the
//! resolver's business (`resolve/facade.rs`).

use serde::Deserialize;
use std::fmt;

/// One binding of a virtual source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VirtualBinding {
    /// `{import, from}` or `{import, as, from}`: bind `alias` (or `name`)
    /// in the facade's scope to export `name` of node `from`.
    Import {
        name: String,
        alias: Option<String>,
        from: String,
    },
    /// `{importAllFrom, as}`: bind `alias` to node `from` as a namespace.
    ImportAll { from: String, alias: String },
    /// `{export}` or `{export, as}`: export a scope name.
    Export { name: String, alias: Option<String> },
    /// `{export, as, from}` (also `{export, from}`): re-export export `name`
    /// of node `from` as `alias` (or `name`).
    ExportFrom {
        name: String,
        alias: Option<String>,
        from: String,
    },
    /// `{exportAllFrom}`: re-export every export of `from`;
    /// `{exportAllFrom, as: NS}`: expose them as namespace `facade/NS`.
    ExportAll { from: String, alias: Option<String> },
}

impl fmt::Display for VirtualBinding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let q = |s: &str| serde_json::to_string(s).unwrap_or_else(|_| format!("\"{s}\""));
        let mut parts: Vec<(&str, &str)> = Vec::new();
        match self {
            VirtualBinding::Import { name, alias, from } => {
                parts.push(("import", name));
                if let Some(a) = alias {
                    parts.push(("as", a));
                }
                parts.push(("from", from));
            }
            VirtualBinding::ImportAll { from, alias } => {
                parts.push(("importAllFrom", from));
                parts.push(("as", alias));
            }
            VirtualBinding::Export { name, alias } => {
                parts.push(("export", name));
                if let Some(a) = alias {
                    parts.push(("as", a));
                }
            }
            VirtualBinding::ExportFrom { name, alias, from } => {
                parts.push(("export", name));
                if let Some(a) = alias {
                    parts.push(("as", a));
                }
                parts.push(("from", from));
            }
            VirtualBinding::ExportAll { from, alias } => {
                parts.push(("exportAllFrom", from));
                if let Some(a) = alias {
                    parts.push(("as", a));
                }
            }
        }
        let body: Vec<String> = parts
            .iter()
            .map(|(k, v)| format!("\"{k}\": {}", q(v)))
            .collect();
        write!(f, "{{{}}}", body.join(", "))
    }
}

const BINDING_FORMS: &str = "{import, from}, {import, as, from}, {importAllFrom, as}, {export}, {export, as}, {export, as, from}, {exportAllFrom} or {exportAllFrom, as}";

const KEYS: &[&str] = &[
    "import",
    "as",
    "from",
    "importAllFrom",
    "export",
    "exportAllFrom",
];

#[derive(Default)]
struct RawBinding {
    import: Option<String>,
    alias: Option<String>,
    from: Option<String>,
    import_all_from: Option<String>,
    export: Option<String>,
    export_all_from: Option<String>,
}

impl TryFrom<RawBinding> for VirtualBinding {
    type Error = String;
    fn try_from(r: RawBinding) -> Result<Self, String> {
        let b = match r {
            RawBinding {
                import: Some(name),
                alias,
                from: Some(from),
                import_all_from: None,
                export: None,
                export_all_from: None,
            } => VirtualBinding::Import { name, alias, from },
            RawBinding {
                import: None,
                alias: Some(alias),
                from: None,
                import_all_from: Some(from),
                export: None,
                export_all_from: None,
            } => VirtualBinding::ImportAll { from, alias },
            RawBinding {
                import: None,
                alias,
                from: None,
                import_all_from: None,
                export: Some(name),
                export_all_from: None,
            } => VirtualBinding::Export { name, alias },
            RawBinding {
                import: None,
                alias,
                from: Some(from),
                import_all_from: None,
                export: Some(name),
                export_all_from: None,
            } => VirtualBinding::ExportFrom { name, alias, from },
            RawBinding {
                import: None,
                alias,
                from: None,
                import_all_from: None,
                export: None,
                export_all_from: Some(from),
            } => VirtualBinding::ExportAll { from, alias },
            r => {
                let keys: Vec<&str> = [
                    ("import", r.import.is_some()),
                    ("as", r.alias.is_some()),
                    ("from", r.from.is_some()),
                    ("importAllFrom", r.import_all_from.is_some()),
                    ("export", r.export.is_some()),
                    ("exportAllFrom", r.export_all_from.is_some()),
                ]
                .into_iter()
                .filter(|(_, present)| *present)
                .map(|(k, _)| k)
                .collect();
                return Err(format!(
                    "a virtual binding with keys {{{}}} is not one of {BINDING_FORMS}",
                    keys.join(", ")
                ));
            }
        };
        let empty = match &b {
            VirtualBinding::Import { name, alias, from }
            | VirtualBinding::ExportFrom { name, alias, from } => {
                name.is_empty() || from.is_empty() || alias.as_deref() == Some("")
            }
            VirtualBinding::ImportAll { from, alias } => from.is_empty() || alias.is_empty(),
            VirtualBinding::Export { name, alias } => {
                name.is_empty() || alias.as_deref() == Some("")
            }
            VirtualBinding::ExportAll { from, alias } => {
                from.is_empty() || alias.as_deref() == Some("")
            }
        };
        if empty {
            return Err(format!("virtual binding {b} has an empty name"));
        }
        match &b {
            VirtualBinding::ImportAll { alias: ns, .. }
            | VirtualBinding::ExportAll {
                alias: Some(ns), ..
            } if ns.contains('/') => {
                return Err(format!(
                    "virtual binding {b}: a namespace name must not contain \"/\""
                ))
            }
            _ => {}
        }
        Ok(b)
    }
}

impl<'de> Deserialize<'de> for VirtualBinding {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::{Error, MapAccess, Visitor};
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = VirtualBinding;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                write!(f, "a virtual binding: {BINDING_FORMS}")
            }
            // Checked inside the object, so that JSON errors point at it.
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<VirtualBinding, A::Error> {
                let mut raw = RawBinding::default();
                while let Some(key) = map.next_key::<String>()? {
                    let slot = match key.as_str() {
                        "import" => &mut raw.import,
                        "as" => &mut raw.alias,
                        "from" => &mut raw.from,
                        "importAllFrom" => &mut raw.import_all_from,
                        "export" => &mut raw.export,
                        "exportAllFrom" => &mut raw.export_all_from,
                        other => return Err(A::Error::unknown_field(other, KEYS)),
                    };
                    if slot.is_some() {
                        return Err(A::Error::custom(format!("duplicate key \"{key}\"")));
                    }
                    *slot = Some(map.next_value::<String>()?);
                }
                VirtualBinding::try_from(raw).map_err(A::Error::custom)
            }
        }
        d.deserialize_map(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::{parse_manifest_str, SourceSpec};
    use std::path::Path;

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
}
