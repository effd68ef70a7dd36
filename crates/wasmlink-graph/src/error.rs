//! Everything that can go wrong while loading and resolving a graph.
//!
//! Every message is complete on its own: it names the manifest node
//! (instance, facade or source), the file, the import (module and name), what
//! was expected and what was found, and the names that were available.

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
    #[error("{}:{line}:{column}: invalid manifest: {message}", path.display())]
    ManifestSyntax {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },

    /// The manifest is well-formed but names something that does not exist
    /// or says something contradictory.
    #[error("{}: {message}", path.display())]
    Manifest { path: PathBuf, message: String },

    /// A file named by a source or a relative import specifier cannot be
    /// read (missing, not a regular file, too large). `referrer` says who
    /// names it.
    #[error("{referrer}: cannot read file \"{written}\" (resolved to {}): {error}", resolved.display())]
    MissingFile {
        referrer: String,
        written: String,
        resolved: PathBuf,
        error: ReadError,
    },

    /// A source does not parse or validate.
    #[error("source \"{source_name}\" ({file}): {error}")]
    InvalidModule {
        source_name: String,
        file: String,
        error: LoadError,
    },

    /// A kind of source this version does not load (data sources).
    #[error("source \"{source_name}\": {what} sources are not supported yet (supported: a file path, {{\"file\": …}}, {{\"wat\": …}}, {{\"virtual\": […]}})")]
    Unsupported { source_name: String, what: String },

    /// An import cannot be bound, or is bound to something of the wrong
    /// type. `instance` is the importing instance's name.
    #[error("{message}")]
    Link {
        instance: String,
        module: String,
        name: String,
        message: String,
    },

    /// A virtual source's bindings cannot be resolved.
    #[error("{message}")]
    Facade { facade: String, message: String },

    /// A cycle that can never be satisfied: non-function imports between
    /// instances, re-exports that never reach a definition, or facades that
    /// re-export from themselves.
    #[error("{message}")]
    Cycle {
        instances: Vec<String>,
        message: String,
    },

    /// The entry point is missing or unsuitable.
    #[error("{message}")]
    Entry { entry: String, message: String },
}
