//! Rule 3 for WASI 0.2: a module `wasi:PKG/IFACE@0.2.N` names the runtime's
//! lowered functions of that interface, for any patch N (see
//! `crate::lowered`). This file answers a WASI interface node's exports,
//! and gives a core module that imports such a function directly the
//! options a component's `canon lower` would state: its exported `memory`
//! (else memory 0), its exported `cabi_realloc`, UTF-8, and a handle table
//! of its own.

use super::context::Ctx;
use super::nodes::{Def, NodeId, NodeKind, Resolved};
use super::resolver::Resolver;
use crate::display::list;
use crate::error::GraphError;
use crate::instance_graph::{IndexRef, InstanceId, LowerOptions};
use crate::lowered::{
    interface_functions, lowered_builtin, wasi2_interfaces, wasi2_version_supported, StringEncoding,
};
use crate::report::Hop;
use wasmlink_module::wasmparser::{FuncType, ValType};
use wasmlink_module::{describe_extern_type, ExternKind, ExternType};

/// The export a core module's `cabi_realloc` must be.
pub(super) const REALLOC_EXPORT: &str = "cabi_realloc";

fn realloc_type() -> FuncType {
    FuncType::new([ValType::I32; 4], [ValType::I32])
}

impl Resolver {
    /// Export `name` of WASI interface node `node`.
    pub(super) fn wasi2_export(
        &self,
        node: NodeId,
        name: &str,
        via: Vec<Hop>,
        ctx: &Ctx,
    ) -> Result<Resolved, GraphError> {
        let NodeKind::Wasi2 { interface, version } = &self.nodes[node].kind else {
            return Err(ctx.err("internal error: not a WASI interface".into()));
        };
        let module = &self.nodes[node].name;
        let supported = "the runtime provides WASI 0.2 (any 0.2.x version)";
        let Some(version) = version else {
            return Err(ctx.err(format!(
                "{}\"{module}\" names no version; {supported}: import \"{interface}@0.2.0\" or a later 0.2.x",
                Hop::render(&via)
            )));
        };
        if !wasi2_version_supported(version) {
            return Err(ctx.err(format!(
                "{}WASI version {version} of \"{interface}\" is not supported; {supported}",
                Hop::render(&via)
            )));
        }
        if interface_functions(interface).next().is_none() {
            return Err(ctx.err(format!(
                "{}\"{interface}\" is not a WASI 0.2 interface the runtime provides (it provides: {})",
                Hop::render(&via),
                list(wasi2_interfaces())
            )));
        }
        match lowered_builtin(interface, name) {
            Some(b) => Ok(Resolved {
                def: Def::Lowered(b),
                via,
                export: name.to_string(),
            }),
            None => Err(ctx.err(format!(
                "{}\"{name}\" is not a function of WASI 0.2 interface \"{interface}\" (it has: {})",
                Hop::render(&via),
                list(interface_functions(interface).map(|b| b.name))
            ))),
        }
    }

    /// Check that real node `node` can make lowered calls: a 32-bit
    /// memory if it has one, and a `cabi_realloc` export, if any, of the
    /// right type defined by the instance itself.
    pub(super) fn check_direct_lower_options(
        &self,
        node: NodeId,
        ctx: &Ctx,
    ) -> Result<(), GraphError> {
        let NodeKind::Real { source, .. } = self.nodes[node].kind else {
            return Ok(());
        };
        let m = &self.sources[source].module;
        if let Some(mem) = m.wasi_memory() {
            if m.memories[mem as usize].memory64 {
                return Err(ctx.err(format!(
                    "{} passes WASI 0.2 values in its memory {mem}, which is a 64-bit memory; \
                     the canonical ABI of WASI 0.2 needs a 32-bit memory",
                    self.describe(node)
                )));
            }
        }
        if let Some(e) = m.export(REALLOC_EXPORT) {
            let ty = m.extern_type(e.kind, e.index);
            if ty != ExternType::Func(realloc_type()) {
                return Err(ctx.err(format!(
                    "{} exports \"{REALLOC_EXPORT}\" as {}, but a realloc function is {}",
                    self.describe(node),
                    describe_extern_type(&ty),
                    describe_extern_type(&ExternType::Func(realloc_type()))
                )));
            }
            if m.is_imported(ExternKind::Func, e.index) {
                return Err(ctx.err(format!(
                    "{} exports \"{REALLOC_EXPORT}\" from one of its imports; the realloc \
                     function of lowered calls must be defined by the instance",
                    self.describe(node)
                )));
            }
        }
        Ok(())
    }

    /// The options of a lowered call made by graph instance `out`, a
    /// core module (loaded source `source`) importing WASI 0.2 directly.
    pub(super) fn direct_lower_options(&self, out: InstanceId, source: usize) -> LowerOptions {
        let m = &self.sources[source].module;
        let index = |index| IndexRef {
            instance: out,
            index,
        };
        LowerOptions {
            memory: m.wasi_memory().map(index),
            realloc: m
                .export(REALLOC_EXPORT)
                .filter(|e| e.kind == ExternKind::Func)
                .map(|e| index(e.index)),
            string_encoding: StringEncoding::Utf8,
            // Handle tables: component instances first (`adapters.rs`
            // numbers them while resolving), then one per core instance.
            component_instance: u32::try_from(self.component_instance_count() + out)
                .unwrap_or(u32::MAX),
            flags: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::resolve_cases::{instance, load};
    use crate::{lowered_builtin, Binding, IndexRef, LowerOptions, LoweredImport, StringEncoding};

    #[test]
    fn a_core_module_lowers_with_its_memory_realloc_and_own_table() {
        let g = load("rule3_wasi2_interfaces");
        let main = instance(&g, "main");
        let options = LowerOptions {
            memory: Some(IndexRef {
                instance: main,
                index: 0,
            }),
            // Function 4: after the four imports.
            realloc: Some(IndexRef {
                instance: main,
                index: 4,
            }),
            string_encoding: StringEncoding::Utf8,
            component_instance: main as u32,
            flags: None,
        };
        let imports = &g.graph.instances[main].imports;
        assert_eq!(
            imports[0],
            Binding::Lowered(LoweredImport {
                func: lowered_builtin("wasi:cli/stdout", "get-stdout").unwrap(),
                options,
            })
        );
        assert!(matches!(imports[3], Binding::Lowered(l) if l.options == options));
    }
}
