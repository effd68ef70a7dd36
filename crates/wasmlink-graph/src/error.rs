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

    /// [`GraphError::Manifest`] about one node (instance, source or facade)
    /// of the manifest, which `node` names.
    #[error("{}: {}", path.display(), shown_message(message))]
    ManifestNode {
        path: PathBuf,
        node: String,
        message: String,
    },

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

    /// The JSON file of a `{"json": FILE}` data source is not JSON (or
    /// repeats a key in one object).
    #[error("{}:{line}:{column}: invalid JSON in data source \"{}\": {}", file.display(), shown_name(source_name), shown_message(message))]
    InvalidJson {
        source_name: String,
        file: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },

    /// A data source cannot be made into a module (too large).
    #[error("{}", shown_message(&format!("source \"{source_name}\" ({file}): {message}")))]
    InvalidData {
        source_name: String,
        file: String,
        message: String,
    },

    /// An import cannot be bound, or is bound to something of the wrong
    /// type. `instance` is the importing instance's name, `file` the file
    /// of its source (none for inline text).
    #[error("{}", shown_message(message))]
    Link {
        instance: String,
        file: Option<PathBuf>,
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

/// The label sources of inline text carry instead of a file path.
const INLINE_LABEL: &str = "inline wat";

/// The parts of an error that tools want without reading the message
/// (`wasmlink --message-format json`). Each is `None` when the error is
/// not about such a thing or does not know it.
impl GraphError {
    /// The file the error is about: the input, the manifest, a source's
    /// file (as the manifest wrote it, or resolved), or the file of the
    /// module whose import failed.
    pub fn file(&self) -> Option<PathBuf> {
        match self {
            GraphError::ReadInput { path, .. }
            | GraphError::UnknownInput { path }
            | GraphError::ManifestSyntax { path, .. }
            | GraphError::Manifest { path, .. }
            | GraphError::ManifestNode { path, .. } => Some(path.clone()),
            GraphError::MissingFile { resolved, .. } => Some(resolved.clone()),
            GraphError::InvalidModule { file, .. } | GraphError::InvalidComponent { file, .. } => {
                (file != INLINE_LABEL).then(|| PathBuf::from(file))
            }
            GraphError::Link { file, .. } => file.clone(),
            GraphError::InvalidJson { file, .. } => Some(file.clone()),
            GraphError::Embed { path, .. } => Some(path.clone()),
            GraphError::InvalidData { .. }
            | GraphError::Facade { .. }
            | GraphError::Cycle { .. }
            | GraphError::Entry { .. }
            | GraphError::Preinit { .. } => None,
        }
    }

    /// The manifest node the error is about: the importing instance, the
    /// facade, the source that does not load.
    pub fn node(&self) -> Option<&str> {
        match self {
            GraphError::ManifestNode { node, .. } => Some(node),
            GraphError::InvalidModule { source_name, .. }
            | GraphError::InvalidComponent { source_name, .. }
            | GraphError::InvalidJson { source_name, .. }
            | GraphError::InvalidData { source_name, .. } => Some(source_name),
            GraphError::Link { instance, .. } => Some(instance),
            GraphError::Facade { facade, .. } => Some(facade),
            _ => None,
        }
    }

    /// The import being resolved, as (module, name).
    pub fn import(&self) -> Option<(&str, &str)> {
        match self {
            GraphError::Link { module, name, .. } if !module.is_empty() => Some((module, name)),
            _ => None,
        }
    }

    /// Line and column (from 1) in [`GraphError::file`].
    pub fn line_column(&self) -> Option<(usize, usize)> {
        match self {
            GraphError::ManifestSyntax { line, column, .. }
            | GraphError::InvalidJson { line, column, .. } => Some((*line, *column)),
            GraphError::InvalidModule { error, .. } => error.line_column(),
            _ => None,
        }
    }

    /// Byte offset in [`GraphError::file`] (a binary module's).
    pub fn offset(&self) -> Option<usize> {
        match self {
            GraphError::InvalidModule { error, .. } => error.offset(),
            _ => None,
        }
    }

    /// The entry (`"main.run"`) an entry error is about.
    pub fn entry(&self) -> Option<&str> {
        match self {
            GraphError::Entry { entry, .. } => Some(entry),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_messages_are_escaped_and_cut() {
        let name = format!("\u{1b}[2K\r{}", "n".repeat(90_000));
        let e = GraphError::Link {
            instance: "main".into(),
            file: None,
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
