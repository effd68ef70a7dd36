//! Component-model scripts. Components are validated and flattened by
//! `wasmlink-component` as they are defined; every instantiated component
//! becomes an instance of one manifest (its file written to a temporary
//! directory) together with its generated driver (`driver.rs`), a core
//! module whose functions make the script's calls through the canonical
//! ABI. The manifest is resolved by `wasmlink-graph` as any program would
//! be, compiled once as a harness executable, and the script's
//! instantiations and calls are sent to it as commands. A component that
//! does not link alone is left out (its directives are unsupported or
//! failed, as the resolver's message says), so one gap does not hide the
//! rest of the script.
//!
//! Directives the harness cannot run are counted as *unsupported* with the
//! reason, never as passed.

mod abi;
mod driver;
mod link;
mod plan;

pub use plan::run_component_script;

/// Whether a script is a component-model script (it defines components).
pub fn is_component_script(text: &str) -> bool {
    text.contains("(component")
}
