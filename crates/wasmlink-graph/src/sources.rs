//! Loading the code of a source: a `.wasm`/`.wat` file or inline text,
//! parsed and validated once by the load stage.

use crate::GraphError;
use std::path::{Path, PathBuf};
use std::sync::Arc;
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
    pub module: Arc<ModuleInfo>,
}

/// Absolute form of a path for messages, without touching the file system.
pub(crate) fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
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
    let path = base.join(written);
    let missing = |error: std::io::Error| GraphError::MissingFile {
        referrer: referrer.to_string(),
        written: written.to_string(),
        resolved: absolute(&path),
        error,
    };
    let bytes = std::fs::read(&path).map_err(missing)?;
    let canonical = std::fs::canonicalize(&path).map_err(missing)?;
    let dir = path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    // A `.wasm` file is a binary: report a missing magic number as such
    // instead of trying to read it as text.
    let binary_only = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("wasm"));
    let module = if binary_only && !bytes.starts_with(b"\0asm") {
        return Err(GraphError::InvalidModule {
            source_name: name.to_string(),
            file: label,
            error: LoadError::Invalid {
                message: "magic header not detected: a binary module starts with \"\\0asm\" (text belongs in a .wat file)".into(),
                offset: 0,
            },
        });
    } else {
        parse(&bytes, name, &label)?
    };
    Ok(LoadedSource {
        name: name.to_string(),
        label,
        path: Some(path),
        dir,
        canonical: Some(canonical),
        module: Arc::new(module),
    })
}

/// Load inline text as source `name`; its relative specifiers are looked up
/// in `base` (the manifest's directory).
pub(crate) fn load_wat(name: &str, text: &str, base: &Path) -> Result<LoadedSource, GraphError> {
    let label = "inline wat".to_string();
    let module = parse(text.as_bytes(), name, &label)?;
    Ok(LoadedSource {
        name: name.to_string(),
        label,
        path: None,
        dir: base.to_path_buf(),
        canonical: None,
        module: Arc::new(module),
    })
}

fn parse(bytes: &[u8], name: &str, label: &str) -> Result<ModuleInfo, GraphError> {
    let invalid = |error: LoadError| {
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
    parse_module(binary).map_err(invalid)
}
