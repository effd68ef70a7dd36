//! JSON as a data source stores it: validated when the graph is loaded and
//! written in one canonical form, so that two manifests meaning the same
//! value build byte-identical executables whatever their layout.
//!
//! The canonical form: no insignificant whitespace; object keys sorted by
//! their UTF-8 bytes; strings escaped minimally (`"`, `\`, control
//! characters, as `serde_json` writes them); integers that fit 64 bits
//! exactly, every other number as the shortest text that reads back as the
//! same IEEE double (what JavaScript does with JSON numbers). A key that
//! appears twice in one object is an error rather than a silent choice
//! between the two values.

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

/// A JSON value, read with duplicate keys rejected; its text is
/// [`CanonicalJson::text`].
#[derive(Clone, Debug, PartialEq)]
pub enum CanonicalJson {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    Array(Vec<CanonicalJson>),
    /// Sorted by key (`BTreeMap` orders `String`s by their bytes).
    Object(BTreeMap<String, CanonicalJson>),
}

impl CanonicalJson {
    /// Read a JSON document. The error's line and column point into `bytes`.
    pub fn parse(bytes: &[u8]) -> Result<CanonicalJson, serde_json::Error> {
        serde_json::from_slice(bytes)
    }

    /// The canonical text.
    pub fn text(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            CanonicalJson::Null => out.push_str("null"),
            CanonicalJson::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            CanonicalJson::Number(n) => {
                // `Number`'s Display is exact for integers and the shortest
                // round-trip form for doubles.
                let _ = write!(out, "{n}");
            }
            CanonicalJson::String(s) => write_string(out, s),
            CanonicalJson::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            CanonicalJson::Object(fields) => {
                out.push('{');
                for (i, (key, value)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_string(out, key);
                    out.push(':');
                    value.write(out);
                }
                out.push('}');
            }
        }
    }
}

fn write_string(out: &mut String, s: &str) {
    // Serialising a `str` cannot fail.
    out.push_str(&serde_json::to_string(s).unwrap_or_default());
}

impl<'de> Deserialize<'de> for CanonicalJson {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = CanonicalJson;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<CanonicalJson, E> {
        Ok(CanonicalJson::Null)
    }

    fn visit_none<E>(self) -> Result<CanonicalJson, E> {
        Ok(CanonicalJson::Null)
    }

    fn visit_bool<E>(self, v: bool) -> Result<CanonicalJson, E> {
        Ok(CanonicalJson::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<CanonicalJson, E> {
        Ok(CanonicalJson::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<CanonicalJson, E> {
        Ok(CanonicalJson::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<CanonicalJson, E> {
        // serde_json reads a number too large for a double as an error of
        // its own; a finite double always has a JSON form.
        serde_json::Number::from_f64(v)
            .map(CanonicalJson::Number)
            .ok_or_else(|| E::custom(format!("the number {v} has no JSON form")))
    }

    fn visit_str<E>(self, v: &str) -> Result<CanonicalJson, E> {
        Ok(CanonicalJson::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<CanonicalJson, E> {
        Ok(CanonicalJson::String(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<CanonicalJson, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(CanonicalJson::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<CanonicalJson, A::Error> {
        let mut fields = BTreeMap::new();
        while let Some(key) = map.next_key::<String>()? {
            if fields.contains_key(&key) {
                return Err(de::Error::custom(format!(
                    "duplicate key {} in one object",
                    serde_json::to_string(&key).unwrap_or_default()
                )));
            }
            let value = map.next_value()?;
            fields.insert(key, value);
        }
        Ok(CanonicalJson::Object(fields))
    }
}

#[cfg(test)]
mod tests {
    use super::CanonicalJson;

    fn canon(text: &str) -> String {
        CanonicalJson::parse(text.as_bytes()).unwrap().text()
    }

    #[test]
    fn keys_are_sorted_at_every_depth_and_whitespace_goes() {
        assert_eq!(
            canon("{ \"b\" : [1, {\"z\": null, \"a\": true}],\n \"a\": \"x\" }"),
            r#"{"a":"x","b":[1,{"a":true,"z":null}]}"#
        );
    }

    #[test]
    fn layouts_of_one_value_give_one_text() {
        let a = canon("{\"k\": 1.50, \"j\": [ ], \"s\": \"\\u00e9\\n\"}");
        let b = canon("{\"s\":\"é\\u000a\",\"k\":15e-1,\"j\":[]}");
        assert_eq!(a, b);
        assert_eq!(a, r#"{"j":[],"k":1.5,"s":"é\n"}"#);
    }

    #[test]
    fn integers_are_exact_within_64_bits() {
        assert_eq!(
            canon("[18446744073709551615, -9223372036854775808, 0]"),
            "[18446744073709551615,-9223372036854775808,0]"
        );
    }

    #[test]
    fn duplicate_keys_are_an_error_with_a_position() {
        let e = CanonicalJson::parse(b"{\n  \"a\": 1,\n  \"a\": 2\n}").unwrap_err();
        assert!(e.to_string().contains("duplicate key \"a\""), "{e}");
        assert_eq!(e.line(), 3);
    }

    #[test]
    fn syntax_errors_have_line_and_column() {
        let e = CanonicalJson::parse(b"[1,\n 2,,]").unwrap_err();
        assert_eq!((e.line(), e.column()), (2, 4));
        assert!(CanonicalJson::parse(b"[1] x").is_err());
        assert!(CanonicalJson::parse(b"").is_err());
    }
}
