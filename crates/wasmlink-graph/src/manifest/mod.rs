//! The manifest format (`app.json`), as the README ("The manifest") describes it.
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

mod json;
mod spec;
mod virtual_binding;

pub use spec::{ImportSpec, InstanceSpec, Manifest, PreinitSpec, SourceSpec};
pub use virtual_binding::VirtualBinding;

use crate::error::GraphError;
use crate::instance_graph::WasiConfig;
use json::{Object, RawManifest};
use std::path::{Path, PathBuf};

/// A JSON error's line, column (from 1) and message without serde_json's
/// own " at line L column C", which messages state in a form of theirs.
pub(crate) fn json_error_parts(e: &serde_json::Error) -> (usize, usize, String) {
    let full = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let message = full.strip_suffix(&suffix).unwrap_or(&full).to_string();
    // serde_json says column 0 for an error before the first character of
    // a line (an empty file, a value that cannot start there); columns
    // count from 1.
    (e.line(), e.column().max(1), message)
}

/// Parse a manifest from text. `path` is the manifest's path: it is used in
/// messages and its directory is the base of relative file paths (the file
/// itself is not read).
pub fn parse_manifest_str(text: &str, path: &Path) -> Result<Manifest, GraphError> {
    let Object(raw) = serde_json::from_str::<Object<RawManifest>>(text).map_err(|e| {
        let (line, column, message) = json_error_parts(&e);
        GraphError::ManifestSyntax {
            path: path.to_path_buf(),
            line,
            column,
            message,
        }
    })?;
    let base_dir = path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    let wasi = raw.wasi.map(|w| w.0).unwrap_or_default();
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
            embed: wasi.embed.map(|e| e.0).unwrap_or_default(),
            runtime_flags: wasi.runtime_flags.unwrap_or(true),
            inherit_network: wasi.inherit_network.unwrap_or(false),
            allow_ip_name_lookup: wasi.allow_ip_name_lookup.unwrap_or(false),
            max_threads: (wasi.max_threads).map_or(wasmlink_abi::DEFAULT_MAX_THREADS, |m| m.0),
        },
        preinit: raw.preinit.and_then(|p| p.0),
    };
    manifest.check()?;
    Ok(manifest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instance_graph::WasiArgs;

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
    fn network_settings() {
        let w = parse("{}").unwrap().wasi;
        assert!(
            !w.inherit_network && !w.allow_ip_name_lookup,
            "denied by default"
        );
        let w = parse(r#"{"wasi": {"inherit_network": true, "allow_ip_name_lookup": true}}"#)
            .unwrap()
            .wasi;
        assert!(w.inherit_network && w.allow_ip_name_lookup);
        let (line, column, message) = syntax_error("{\"wasi\": {\n \"inherit_network\": \"yes\"}}");
        assert_eq!((line, column), (2, 25));
        assert!(message.contains("expected a boolean"), "{message}");
        let (_, _, message) = syntax_error(r#"{"wasi": {"network": "inherit"}}"#);
        assert!(message.starts_with("unknown field `network`"), "{message}");
        assert!(message.contains("`inherit_network`"), "{message}");
    }

    #[test]
    fn preinit_setting() {
        assert_eq!(parse("{}").unwrap().preinit, None);
        assert_eq!(parse(r#"{"preinit": false}"#).unwrap().preinit, None);
        assert_eq!(
            parse(r#"{"preinit": true}"#).unwrap().preinit,
            Some(PreinitSpec { export: None })
        );
        assert_eq!(
            parse(r#"{"preinit": {"export": "wizer.initialize"}}"#)
                .unwrap()
                .preinit,
            Some(PreinitSpec {
                export: Some("wizer.initialize".into())
            })
        );
        let (line, column, message) = syntax_error("{\n \"preinit\": \"yes\"}");
        assert_eq!((line, column), (2, 17));
        assert_eq!(
            message,
            "invalid type: string \"yes\", expected preinit: true, false or {\"export\": name}"
        );
        let (_, _, message) = syntax_error(r#"{"preinit": {"export": 3}}"#);
        assert!(message.contains("expected a string"), "{message}");
        let (_, _, message) = syntax_error(r#"{"preinit": {"exports": "x"}}"#);
        assert!(
            message.starts_with("unknown field `exports`, expected `export`"),
            "{message}"
        );
        let e = parse(r#"{"preinit": {"export": ""}}"#)
            .unwrap_err()
            .to_string();
        assert_eq!(e, "dir/app.json: preinit.export must not be empty");
    }

    #[test]
    fn thread_limit() {
        assert_eq!(parse("{}").unwrap().wasi.max_threads, 64);
        let w = parse(r#"{"wasi": {"max_threads": 0}}"#).unwrap().wasi;
        assert_eq!(w.max_threads, 0);
        let w = parse(r#"{"wasi": {"max_threads": 4096}}"#).unwrap().wasi;
        assert_eq!(w.max_threads, 4096);
        let (line, column, message) = syntax_error("{\"wasi\": {\n \"max_threads\": 4097}}");
        // (custom errors are placed after the object that holds them)
        assert_eq!((line, column), (2, 21));
        assert_eq!(message, "wasi.max_threads: 4097 is more than 4096 threads");
        let (_, _, message) = syntax_error(r#"{"wasi": {"max_threads": -1}}"#);
        assert!(message.contains("expected u64"), "{message}");
        let (_, _, message) = syntax_error(r#"{"wasi": {"max_threads": "8"}}"#);
        assert!(message.contains("expected u64"), "{message}");
    }
}
