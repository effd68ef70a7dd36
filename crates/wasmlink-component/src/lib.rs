//! The load stage for components. It owns turning a WebAssembly component
//! (binary, or text through `wat`) into a [`FlatComponent`]: the component
//! is validated with wasmparser's component-model features, then
//! instantiated statically — nested components instantiated with their
//! arguments substituted, aliases followed, synthesized instances
//! dissolved — until only core modules (each a [`ModuleInfo`] from
//! `wasmlink-module`), core instances with every import bound, lowered
//! functions, resource intrinsics and lifted exports are left. The resolve
//! stage (`wasmlink-graph`) turns an instance of a component into those
//! core instances.
//!
//! The first pass (`parse.rs`) validates and records each component's
//! definitions in binary order; the second (`inline.rs`) instantiates
//! them. `flat.rs` is the output; `wit_text.rs` prints component types
//! the way WIT writes them, for messages and reports.
//!
//! [`ModuleInfo`]: wasmlink_module::ModuleInfo

mod error;
mod flat;
mod flat_text;
mod inline;
mod parse;
mod wit_text;

pub use error::ComponentError;
pub use flat::*;
pub use parse::component_features;
pub use wit_text::{describe_entity_type, describe_func_type, describe_val_type};

/// Whether `bytes` is a binary component (layer 1 in the header) rather
/// than a core module.
pub fn is_component_binary(bytes: &[u8]) -> bool {
    bytes.len() >= 8 && bytes.starts_with(b"\0asm") && bytes[6..8] == [1, 0]
}

/// Validate and flatten a binary component.
pub fn load_component(bytes: &[u8]) -> Result<FlatComponent, ComponentError> {
    if bytes.starts_with(b"\0asm") && !is_component_binary(bytes) && bytes.len() >= 8 {
        return Err(ComponentError::NotAComponent);
    }
    inline::flatten(parse::parse(bytes)?)
}

/// Accept the text format (`(component …)`) or a binary and return the
/// binary; text errors are rendered like `wasmlink-module`'s (control
/// characters escaped, long lines cut).
pub fn parse_text_or_binary(bytes: &[u8]) -> Result<Vec<u8>, ComponentError> {
    wasmlink_module::parse_wat_or_wasm(bytes).map_err(|e| match e {
        wasmlink_module::LoadError::Wat(text) => ComponentError::Wat(text),
        other => ComponentError::Invalid {
            message: other.to_string(),
            offset: 0,
        },
    })
}

#[cfg(test)]
mod tests;
