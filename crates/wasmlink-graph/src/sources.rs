//! Loading the code of a source: a `.wasm`/`.wat` file or inline text,
//! parsed and validated once by the load stage — a core module by
//! `wasmlink-module`, a component (layer 1 in the binary header, or
//! `(component …)` text) by `wasmlink-component`.

use crate::error::GraphError;
use crate::input_file::{self, InputKind};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use wasmlink_component::{is_component_binary, load_component, FlatComponent};
use wasmlink_module::{parse_module, parse_wat_or_wasm, LoadError, ModuleInfo};

/// A loaded (non-virtual) source.
#[derive(Clone, Debug)]
pub(crate) struct LoadedSource {
    pub name: String,
    /// How messages name it: the path as written, or `inline wat`.
    pub label: String,
    /// The file path (base directory joined with the path as written).
    pub path: Option<PathBuf>,
    /// Where relative specifiers of its imports are looked up.
    pub dir: PathBuf,
    /// Canonical path of the file, if any (identity of path-keyed sources).
    pub canonical: Option<PathBuf>,
    /// The core module (empty for a component).
    pub module: Arc<ModuleInfo>,
    /// The flattened component, when the source is one.
    pub component: Option<Arc<FlatComponent>>,
    /// A data source's generated module (`crate::data`): its `read` is
    /// bound per caller.
    pub data: bool,
}

/// What a source's code is.
pub(crate) enum Code {
    Module(Box<ModuleInfo>),
    Component(FlatComponent),
}

impl LoadedSource {
    /// A source made of `code`.
    pub(crate) fn new(
        name: &str,
        label: String,
        path: Option<PathBuf>,
        dir: PathBuf,
        canonical: Option<PathBuf>,
        code: Code,
    ) -> LoadedSource {
        let (module, component) = match code {
            Code::Module(m) => (Arc::from(m), None),
            Code::Component(c) => (Arc::new(ModuleInfo::default()), Some(Arc::new(c))),
        };
        LoadedSource {
            name: name.to_string(),
            label,
            path,
            dir,
            canonical,
            module,
            component,
            data: false,
        }
    }
}

impl LoadedSource {
    /// How a message names the source as the subject of a sentence: its
    /// file as written, or, for inline text (which has no file, and of
    /// which a manifest may hold several), the source's name.
    pub(crate) fn subject(&self) -> String {
        match self.path {
            Some(_) => self.label.clone(),
            None => format!("source \"{}\" ({})", self.name, self.label),
        }
    }
}

/// Absolute form of a path for messages, without touching the file system.
pub(crate) fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// A file named by a source or a relative specifier, found but not read.
pub(crate) struct Located {
    /// Who names the file, for messages.
    pub referrer: String,
    /// The path as written.
    pub written: String,
    /// The base directory joined with the path as written.
    pub path: PathBuf,
    /// The file's canonical path: what is read, and its identity.
    pub canonical: PathBuf,
}

/// Find file `written` (relative to `base`). `referrer` says who names the
/// file, for the message when it does not exist.
pub(crate) fn locate(referrer: &str, written: &str, base: &Path) -> Result<Located, GraphError> {
    let path = base.join(written);
    match std::fs::canonicalize(&path) {
        Ok(canonical) => Ok(Located {
            referrer: referrer.to_string(),
            written: written.to_string(),
            path,
            canonical,
        }),
        Err(error) => Err(GraphError::MissingFile {
            referrer: referrer.to_string(),
            written: written.to_string(),
            resolved: absolute(&path),
            error: error.into(),
        }),
    }
}

/// Load file `written` (relative to `base`) as source `name`. `referrer`
/// says who names the file, for the message when it cannot be read.
pub(crate) fn load_file(
    referrer: &str,
    name: &str,
    written: &str,
    label: String,
    base: &Path,
) -> Result<LoadedSource, GraphError> {
    load_located(locate(referrer, written, base)?, name, label)
}

/// Read and parse a located file as source `name`. Only a regular file
/// within [`MAX_MODULE_BYTES`](crate::input_file::MAX_MODULE_BYTES) is
/// read. A parse error quotes the offending line only for a `.wat` file:
/// other files were not meant to be text, and their content is not shown.
pub(crate) fn load_located(
    file: Located,
    name: &str,
    label: String,
) -> Result<LoadedSource, GraphError> {
    let bytes = input_file::read(&file.canonical, InputKind::Module).map_err(|error| {
        GraphError::MissingFile {
            referrer: file.referrer.clone(),
            written: file.written.clone(),
            resolved: absolute(&file.path),
            error,
        }
    })?;
    let path = file.path;
    let dir = path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    // A `.wasm` file is a binary: report a missing magic number as such
    // instead of trying to read it as text.
    let module = if extension.as_deref() == Some("wasm") && !bytes.starts_with(b"\0asm") {
        return Err(GraphError::InvalidModule {
            source_name: name.to_string(),
            file: label,
            error: LoadError::Invalid {
                message: "magic header not detected: a binary module starts with \"\\0asm\" (text belongs in a .wat file)".into(),
                offset: 0,
            },
        });
    } else {
        let quote = extension.as_deref() == Some("wat");
        parse(&bytes, name, &label, quote)?
    };
    Ok(LoadedSource::new(
        name,
        label,
        Some(path),
        dir,
        Some(file.canonical),
        module,
    ))
}

/// Load inline text as source `name`; its relative specifiers are looked up
/// in `base` (the manifest's directory).
pub(crate) fn load_wat(name: &str, text: &str, base: &Path) -> Result<LoadedSource, GraphError> {
    let label = "inline wat".to_string();
    let code = parse(text.as_bytes(), name, &label, true)?;
    Ok(LoadedSource::new(
        name,
        label,
        None,
        base.to_path_buf(),
        None,
        code,
    ))
}

/// Parse text or binary, a core module or a component; `quote`: a text
/// error may quote the line.
fn parse(bytes: &[u8], name: &str, label: &str, quote: bool) -> Result<Code, GraphError> {
    let invalid = |error: LoadError| {
        let error = if quote {
            error
        } else {
            error.without_excerpt()
        };
        // The text parser does not know the file; name it in its excerpt.
        let error = match error {
            LoadError::Wat(text) => LoadError::Wat(text.replace("<anon>", label)),
            other => other,
        };
        GraphError::InvalidModule {
            source_name: name.to_string(),
            file: label.to_string(),
            error,
        }
    };
    let binary = parse_wat_or_wasm(bytes).map_err(invalid)?;
    if is_component_binary(&binary) {
        return load_component(&binary)
            .map(Code::Component)
            .map_err(|error| GraphError::InvalidComponent {
                source_name: name.to_string(),
                file: label.to_string(),
                error,
            });
    }
    parse_module(binary)
        .map(|m| Code::Module(Box::new(m)))
        .map_err(invalid)
}
