//! The manifest as data: its sources, instances, import maps and WASI
//! settings, and [`Manifest::check`], which checks the names a manifest
//! uses among themselves (for manifests parsed from JSON and manifests
//! built in code alike). It also says which WASI strings a program cannot
//! be given (those holding a NUL), for the parser to reject with a
//! position.

use super::virtual_binding::VirtualBinding;
use crate::data::DataSpec;
use crate::display::{list, shown_name};
use crate::error::GraphError;
use crate::instance_graph::{WasiArgs, WasiConfig, WasiEnv};
use crate::suggest::did_you_mean;
use indexmap::IndexMap;
use std::path::PathBuf;

/// A parsed manifest. Paths inside are as written; they are relative to
/// `base_dir`.
#[derive(Clone, Debug, PartialEq)]
pub struct Manifest {
    /// The manifest's own path (for messages).
    pub path: PathBuf,
    /// The directory file paths are relative to: the manifest's directory.
    pub base_dir: PathBuf,
    pub sources: IndexMap<String, SourceSpec>,
    pub instances: IndexMap<String, InstanceSpec>,
    /// `"instance"` (its `_start`) or `"instance.export"`.
    pub entry: Option<String>,
    pub wasi: WasiConfig,
    /// `"preinit"`: run the program's initialisation at build time (see
    /// the README, "Pre-initialisation"); `None` when off.
    pub preinit: Option<PreinitSpec>,
}

/// Pre-initialisation as a manifest or a command line asks for it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PreinitSpec {
    /// An export of the entry instance to call after instantiation
    /// (`"preinit": {"export": "wizer.initialize"}`).
    pub export: Option<String>,
}

/// One entry of `sources`.
#[derive(Clone, Debug, PartialEq)]
pub enum SourceSpec {
    /// `"app.wasm"` or `{"file": "app.wasm"}`: a `.wasm` or `.wat` file.
    File(String),
    /// `{"wat": "(module …)"}`: inline text.
    Wat(String),
    /// `{"virtual": [bindings]}`: a facade.
    Virtual(Vec<VirtualBinding>),
    /// `{"bytes": FILE}`, `{"json": FILE}` or `{"json": VALUE}`: a data
    /// source (see [`crate::data`]).
    Data(DataSpec),
}

/// One entry of `instances`.
#[derive(Clone, Debug, PartialEq)]
pub struct InstanceSpec {
    pub source: String,
    /// Resolution rule 1: import module name → how to bind it.
    pub imports: IndexMap<String, ImportSpec>,
}

/// How an instance binds one import module (rule 1).
#[derive(Clone, Debug, PartialEq)]
pub enum ImportSpec {
    /// `"M": "node"`: every name of module M comes from that node.
    Node(String),
    /// `"M": {"N": "node.export"}`: per name. Names not listed fall through
    /// to rules 2–5.
    Names(IndexMap<String, String>),
}

impl Manifest {
    fn error(&self, message: String) -> GraphError {
        GraphError::Manifest {
            path: self.path.clone(),
            message,
        }
    }

    /// An error about node `node` of the manifest.
    fn node_error(&self, node: &str, message: String) -> GraphError {
        GraphError::ManifestNode {
            path: self.path.clone(),
            node: node.to_string(),
            message,
        }
    }

    /// Check the names the manifest uses among themselves: every instance
    /// names a declared source, no name is empty, WASI settings are usable.
    pub fn check(&self) -> Result<(), GraphError> {
        for (name, spec) in &self.sources {
            if name.is_empty() {
                return Err(self.error("a source name must not be empty".into()));
            }
            match spec {
                SourceSpec::File(f)
                | SourceSpec::Data(DataSpec::Bytes(f) | DataSpec::JsonFile(f))
                    if f.is_empty() =>
                {
                    return Err(
                        self.node_error(name, format!("source \"{name}\" has an empty file path"))
                    )
                }
                _ => {}
            }
        }
        for (name, inst) in &self.instances {
            if name.is_empty() {
                return Err(self.error("an instance name must not be empty".into()));
            }
            if !self.sources.contains_key(&inst.source) {
                return Err(self.node_error(
                    name,
                    format!(
                        "instance \"{name}\" names source \"{}\", which is not in \"sources\" (available: {}){}",
                        inst.source,
                        list(self.sources.keys()),
                        did_you_mean(&inst.source, self.sources.keys())
                    ),
                ));
            }
            for (module, spec) in &inst.imports {
                match spec {
                    ImportSpec::Node(node) if node.is_empty() => {
                        return Err(self.node_error(
                            name,
                            format!(
                                "instance \"{name}\" maps import module \"{module}\" to an empty node name"
                            ),
                        ))
                    }
                    _ => {}
                }
            }
        }
        if let Some(entry) = &self.entry {
            if entry.is_empty() {
                return Err(self.error("\"entry\" must not be empty".into()));
            }
        }
        if let Some(PreinitSpec { export: Some(e) }) = &self.preinit {
            if e.is_empty() {
                return Err(self.error("preinit.export must not be empty".into()));
            }
        }
        if let WasiEnv::Fixed(vars) = &self.wasi.env {
            for (k, _) in vars {
                if k.is_empty() || k.contains('=') || k.contains('\0') {
                    return Err(self.error(format!(
                        "wasi.env: \"{k}\" is not a valid environment variable name"
                    )));
                }
            }
        }
        if let Some(problem) = nul_in_wasi(&self.wasi) {
            return Err(self.error(problem));
        }
        for (what, paths) in [
            ("wasi.preopens", &self.wasi.preopens),
            ("wasi.embed", &self.wasi.embed),
        ] {
            for (guest, host) in paths {
                if guest.is_empty() || host.is_empty() {
                    return Err(self.error(format!(
                        "{what}: \"{guest}\" → \"{host}\": neither path may be empty"
                    )));
                }
            }
        }
        Ok(())
    }
}

/// Why a WASI string cannot be passed to the program: it holds a NUL.
/// `what` names the string (`wasi.args:`, `wasi.env: the name`); the value
/// follows it in quotes.
pub(super) fn nul_problem(what: &str, value: &str) -> Option<String> {
    value.contains('\0').then(|| {
        format!(
            "{what} \"{}\" holds a NUL character, which a program cannot be given",
            shown_name(value)
        )
    })
}

/// [`nul_problem`] for the value of environment variable `name`.
pub(super) fn env_value_nul_problem(name: &str, value: &str) -> Option<String> {
    value.contains('\0').then(|| {
        format!(
            "wasi.env: the value of \"{}\" (\"{}\") holds a NUL character, which a program cannot be given",
            shown_name(name),
            shown_name(value)
        )
    })
}

/// The first WASI string of `wasi` holding a NUL, described. Parsing
/// already rejects these with a position; this covers manifests built in
/// code.
fn nul_in_wasi(wasi: &WasiConfig) -> Option<String> {
    if let WasiArgs::Fixed(args) = &wasi.args {
        for a in args {
            if let Some(p) = nul_problem("wasi.args:", a) {
                return Some(p);
            }
        }
    }
    if let WasiEnv::Fixed(vars) = &wasi.env {
        for (k, v) in vars {
            let p = nul_problem("wasi.env: the name", k).or_else(|| env_value_nul_problem(k, v));
            if p.is_some() {
                return p;
            }
        }
    }
    for (what, paths) in [
        ("wasi.preopens", &wasi.preopens),
        ("wasi.embed", &wasi.embed),
    ] {
        for (guest, host) in paths {
            let p = nul_problem(&format!("{what}: the guest path"), guest)
                .or_else(|| nul_problem(&format!("{what}: the host path"), host));
            if p.is_some() {
                return p;
            }
        }
    }
    None
}
