//! What the generator is told about one call: the function type and each
//! side's canonical options, as the flattener read them from `canon lower`
//! (the caller) and `canon lift` (the callee).

use crate::types::{FuncType, TypeError};

/// The `string-encoding` canonical option.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum StringEncoding {
    #[default]
    Utf8,
    Utf16,
    /// `latin1+utf16`: Latin-1 unless the length's top bit is set, then
    /// UTF-16.
    Latin1Utf16,
}

/// The caller's side: a core function imported with `canon lower`.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct CallerOptions {
    pub string_encoding: StringEncoding,
    /// The caller's component instance (its flags and handle table), or
    /// `None` when the host calls (an entry point): no `may_leave` check,
    /// and no handles may cross.
    pub instance: Option<u32>,
}

/// The callee's side: a core function exported with `canon lift`.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct CalleeOptions {
    pub string_encoding: StringEncoding,
    /// The callee's component instance (its flags and handle table).
    pub instance: u32,
    /// Whether `canon lift` names a `post-return` function.
    pub post_return: bool,
}

/// Everything one fused adapter depends on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdapterSpec {
    /// The function type (caller and callee agree on it: the flattener
    /// reports a mismatch before asking for an adapter).
    pub ty: FuncType,
    pub caller: CallerOptions,
    pub callee: CalleeOptions,
    /// The component instances the call enters: the callee and those of its
    /// ancestors the caller is not inside (the spec's `entering_set`). Each
    /// must not be entered already (else [`crate::AdapterTrap::CannotEnterComponent`])
    /// and is marked entered until the call returns.
    pub entering: Vec<u32>,
}

impl AdapterSpec {
    /// A call that enters only the callee's instance.
    pub fn new(ty: FuncType, caller: CallerOptions, callee: CalleeOptions) -> AdapterSpec {
        let entering = vec![callee.instance];
        AdapterSpec {
            ty,
            caller,
            callee,
            entering,
        }
    }
}

/// Why no adapter could be generated.
#[derive(Debug, thiserror::Error)]
pub enum AdapterError {
    #[error("function type `{ty}`: {error}")]
    Type { ty: String, error: TypeError },
    #[error("function type `{ty}` passes resource handles, but the caller is the host")]
    HostHandles { ty: String },
    /// A defect of the generator: the module it produced does not validate.
    #[error("generated adapter for `{ty}` does not validate: {message}")]
    Invalid { ty: String, message: String },
}
