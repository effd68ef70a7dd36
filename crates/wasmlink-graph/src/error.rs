//! Everything that can go wrong while loading and resolving a graph.
//!
//! Every message is complete on its own: it names the manifest node
//! (instance, facade or source), the file, the import (module and name), what
//! was expected and what was found, and the names that were available.
//!
//! Names come from the inputs and can hold anything, so every message is
//! displayed through [`shown_message`] (control characters escaped, quoted
//! names cut to a sane length; [`shown_lines`] for messages that quote
//! source lines) and names outside the message text through
//! [`shown_name`].

use crate::display::{shown_lines, shown_message, shown_name};
use crate::input_file::ReadError;
use std::path::PathBuf;
use wasmlink_module::LoadError;

/// Why a graph could not be loaded or resolved.
#[derive(Debug, thiserror::Error)]
pub enum GraphError {
    /// The manifest or module given as input cannot be read: missing, not
    /// a regular file, or larger than the limit.
    #[error("cannot read {}: {error}", path.display())]
    ReadInput { path: PathBuf, error: ReadError },

    /// The input is neither a `.json` manifest nor a `.wasm`/`.wat` module.
    #[error(
        "{}: expected a manifest (.json) or a module (.wasm or .wat)",
        path.display()
    )]
    UnknownInput { path: PathBuf },

    /// The manifest is not JSON, or not JSON of the manifest's shape.
    #[error("{}:{line}:{column}: invalid manifest: {}", path.display(), shown_message(message))]
    ManifestSyntax {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },

    /// The manifest is well-formed but names something that does not exist
    /// or says something contradictory.
    #[error("{}: {}", path.display(), shown_message(message))]
    Manifest { path: PathBuf, message: String },

    /// A file named by a source or a relative import specifier cannot be
    /// read (missing, not a regular file, too large). `referrer` says who
    /// names it.
    #[error("{}", shown_message(&format!("{referrer}: cannot read file \"{written}\" (resolved to {}): {error}", resolved.display())))]
    MissingFile {
        referrer: String,
        written: String,
        resolved: PathBuf,
        error: ReadError,
    },

    /// A source does not parse or validate.
    #[error("{}", shown_lines(&format!("source \"{source_name}\" ({file}): {error}")))]
    InvalidModule {
        source_name: String,
        file: String,
        error: LoadError,
    },

    /// A component source does not parse, validate or flatten.
    #[error("{}", shown_lines(&format!("source \"{source_name}\" ({file}): {error}")))]
    InvalidComponent {
        source_name: String,
        file: String,
        error: wasmlink_component::ComponentError,
    },

    /// A kind of source this version does not load (data sources).
    #[error("source \"{}\": {what} sources are not supported yet (supported: a file path, {{\"file\": …}}, {{\"wat\": …}}, {{\"virtual\": […]}})", shown_name(source_name))]
    Unsupported { source_name: String, what: String },

    /// An import cannot be bound, or is bound to something of the wrong
    /// type. `instance` is the importing instance's name.
    #[error("{}", shown_message(message))]
    Link {
        instance: String,
        module: String,
        name: String,
        message: String,
    },

    /// A virtual source's bindings cannot be resolved.
    #[error("{}", shown_message(message))]
    Facade { facade: String, message: String },

    /// A cycle that can never be satisfied: non-function imports between
    /// instances, re-exports that never reach a definition, or facades that
    /// re-export from themselves.
    #[error("{}", shown_message(message))]
    Cycle {
        instances: Vec<String>,
        message: String,
    },

    /// The entry point is missing or unsuitable.
    #[error("{}", shown_message(message))]
    Entry { entry: String, message: String },

    /// A host file or directory to embed (`wasi.embed`) cannot be: it is
    /// missing, of a kind that cannot be embedded, a link leading outside
    /// the embedded directory, too large, or its guest path clashes.
    #[error("{}", shown_message(&format!("wasi.embed \"{guest}\": {}: {problem}", path.display())))]
    Embed {
        guest: String,
        path: PathBuf,
        problem: String,
    },

    /// The init export pre-initialisation should call is missing or
    /// unsuitable.
    #[error("{}", shown_message(message))]
    Preinit { message: String },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_messages_are_escaped_and_cut() {
        let name = format!("\u{1b}[2K\r{}", "n".repeat(90_000));
        let e = GraphError::Link {
            instance: "main".into(),
            module: "env".into(),
            name: name.clone(),
            message: format!(
                "instance \"main\" (main.wat) imports \"env\" \"{name}\": instance \"env\" has no export \"{name}\"; it exports: {}",
                crate::display::list([name.as_str(), "add"])
            ),
        };
        let shown = e.to_string();
        let cut = format!("\\x1b[2K\\r{}…", "n".repeat(200 - 9));
        assert_eq!(
            shown,
            format!("instance \"main\" (main.wat) imports \"env\" \"{cut}\": instance \"env\" has no export \"{cut}\"; it exports: {cut}, add")
        );
        let e = GraphError::InvalidModule {
            source_name: "m\u{1b}".into(),
            file: "m.wat".into(),
            error: LoadError::Wat("bad\n  --> m.wat:1:1\n1 | (\u{7}".into()),
        };
        assert_eq!(
            e.to_string(),
            "source \"m\\x1b\" (m.wat): invalid WebAssembly text: bad\n  --> m.wat:1:1\n1 | (\\x07"
        );
    }
}
