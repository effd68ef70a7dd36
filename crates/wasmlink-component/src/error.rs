//! Why a component could not be loaded or flattened.

use wasmlink_module::LoadError;

/// Why a component could not be loaded or flattened. Messages are complete
/// sentences without the file name; the caller says which source it was.
#[derive(Debug, thiserror::Error)]
pub enum ComponentError {
    /// The text format did not parse.
    #[error("invalid WebAssembly text: {0}")]
    Wat(String),
    /// The binary is malformed or fails validation.
    #[error("invalid WebAssembly component: {message} (at byte offset {offset:#x})")]
    Invalid { message: String, offset: usize },
    /// The input is a core module, not a component.
    #[error("this is a WebAssembly core module, not a component")]
    NotAComponent,
    /// An embedded core module cannot be loaded (for example it uses a
    /// feature wasmlink does not compile).
    #[error("core module {name} (module {index} of the component): {error}")]
    Module {
        index: usize,
        name: String,
        error: LoadError,
    },
    /// Valid, but something flattening cannot do (yet).
    #[error("unsupported in a component: {0}")]
    Unsupported(String),
    /// A limit that keeps flattening bounded was reached.
    #[error("component too large to flatten: {0}")]
    Limit(String),
}

impl From<wasmparser::BinaryReaderError> for ComponentError {
    fn from(e: wasmparser::BinaryReaderError) -> Self {
        ComponentError::Invalid {
            message: e.message().to_string(),
            offset: usize::try_from(e.offset()).unwrap_or(usize::MAX),
        }
    }
}
