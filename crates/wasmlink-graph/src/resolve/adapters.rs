//! Calls between component instances: fused adapters.
//!
//! A core instance that calls a lowered function whose callee is a function
//! lifted by another component instance — a component the node's
//! `imports` wires the interface to, or a nested component instance of the
//! same component — does not call the callee's core function directly: the
//! two sides disagree on memories, string encodings and ownership. It calls
//! a fused adapter generated for exactly that pair (`wasmlink-adapter`), an
//! ordinary core module added to the graph as an instance of its own
//! (`app/adapter/my:pkg/api@1.0.0#get`), compiled with everything else.
//! Its imports are bound here: the caller's memory and `realloc` from
//! `canon lower`, the callee's memory, `realloc`, core function and
//! `post-return` from `canon lift`, one flags global per component
//! instance involved (a tiny module per instance, `app/flags`), and the
//! `trap` intrinsic: the runtime's `wasmlink:canon` `trap`, so a report
//! names the reason (`wasm trap: invalid utf-8 in app/adapter/…::adapter`).
//!
//! Both sides' component function types are converted to the canonical
//! ABI's types, with resource types numbered across the graph
//! (`resources.rs`), and must be equal; when they differ the build fails
//! naming both WIT types. Handles of resources that components define move
//! between the two instances' handle tables through the runtime's
//! `wasmlink:canon` transfer functions; handles of WASI resources do not
//! cross between components yet (a build error naming the type).

use super::context::Ctx;
use super::nodes::{Def, NodeId, Resolved, SourceRef};
use super::resolver::Resolver;
use crate::error::GraphError;
use crate::lowered::canon_builtin;
use crate::sources::{Code, LoadedSource};
use indexmap::IndexMap;
use std::sync::Arc;
use wasmlink_adapter::from_wasmparser::convert_func;
use wasmlink_adapter::{generate, AdapterSpec, CalleeOptions, CallerOptions, FuncType, ImportRole};
use wasmlink_component::{
    describe_func_type, resource_at, ComponentInstanceId, CoreDef, LiftedFunc, Lowering,
    ResourceMap, StringEncoding,
};
use wasmlink_module::wasmparser::component_types::ComponentFuncTypeId;
use wasmlink_module::wasmparser::types::Types;
use wasmlink_module::{parse_module, parse_wat_or_wasm};

/// One side of a call between component instances: component node `c`
/// (index into the resolver's components) and what it says about the
/// call.
pub(super) struct CallerSide<'a> {
    pub c: usize,
    pub lowering: &'a Lowering,
}

pub(super) struct CalleeSide<'a> {
    pub c: usize,
    pub lifted: &'a LiftedFunc,
}

impl Resolver {
    /// The adapter for a call from `caller` to `callee`, generated and
    /// added to the graph the first time; the definition is its export.
    pub(super) fn fused_adapter(
        &mut self,
        caller: CallerSide<'_>,
        callee: CalleeSide<'_>,
        func: &str,
        ctx: &Ctx,
    ) -> Result<Resolved, GraphError> {
        let key = (
            caller.c,
            caller.lowering.component_instance,
            callee.c,
            callee.lifted.clone(),
        );
        let node = match self.adapter_nodes.get(&key) {
            Some(&node) => node,
            None => {
                let node = self.add_adapter(&caller, &callee, func, ctx)?;
                self.adapter_nodes.insert(key, node);
                node
            }
        };
        self.resolve_export(node, wasmlink_adapter::contract::EXPORT, Vec::new(), ctx)
    }

    fn add_adapter(
        &mut self,
        caller: &CallerSide<'_>,
        callee: &CalleeSide<'_>,
        func: &str,
        ctx: &Ctx,
    ) -> Result<NodeId, GraphError> {
        let caller_flat = Arc::clone(&self.components[caller.c].flat);
        let callee_flat = Arc::clone(&self.components[callee.c].flat);
        let caller_wit = describe_func_type(&caller_flat.types, caller.lowering.ty);
        let callee_wit = describe_func_type(&callee_flat.types, callee.lifted.ty);
        let caller_ty = self.abi_type(
            caller.c,
            caller.lowering.ty,
            &caller.lowering.resources,
            ctx,
            &caller_wit,
        )?;
        let callee_ty = self.abi_type(
            callee.c,
            callee.lifted.ty,
            &callee.lifted.resources,
            ctx,
            &callee_wit,
        )?;
        if caller_ty != callee_ty {
            return Err(ctx.err(format!(
                "the import has type {caller_wit}, but {} provides {callee_wit}",
                self.describe(self.components[callee.c].node)
            )));
        }
        let caller_instance = self.global_instance(caller.c, caller.lowering.component_instance);
        let callee_instance = self.global_instance(callee.c, callee.lifted.component_instance);
        let entering = self.entering(caller, callee);
        let spec = AdapterSpec {
            ty: caller_ty,
            caller: CallerOptions {
                string_encoding: encoding(caller.lowering.options.string_encoding),
                instance: Some(caller_instance),
            },
            callee: CalleeOptions {
                string_encoding: encoding(callee.lifted.options.string_encoding),
                instance: callee_instance,
                post_return: callee.lifted.options.post_return.is_some(),
            },
            entering,
        };
        let adapter = generate(&spec).map_err(|e| ctx.err(format!("no adapter: {e}")))?;

        // Bind every import the adapter has, in order.
        let mut fixed = Vec::with_capacity(adapter.imports.len());
        for imp in &adapter.imports {
            let r = match imp.role {
                ImportRole::CallerMemory => {
                    let Some(m) = &caller.lowering.options.memory else {
                        return Err(ctx.err(format!(
                            "canon lower of {func} ({caller_wit}) has no memory option, which the call needs"
                        )));
                    };
                    self.resolve_core_def(caller.c, &CoreDef::Export(m.clone()), ctx)?
                }
                ImportRole::CallerRealloc => {
                    let Some(r) = &caller.lowering.options.realloc else {
                        return Err(ctx.err(format!(
                            "canon lower of {func} ({caller_wit}) has no realloc option, which the call's results need"
                        )));
                    };
                    self.resolve_core_def(caller.c, r, ctx)?
                }
                ImportRole::CalleeMemory => {
                    let Some(m) = &callee.lifted.options.memory else {
                        return Err(ctx.err(format!(
                            "canon lift of {func} ({callee_wit}) has no memory option, which the call needs"
                        )));
                    };
                    self.resolve_core_def(callee.c, &CoreDef::Export(m.clone()), ctx)?
                }
                ImportRole::CalleeRealloc => {
                    let Some(r) = &callee.lifted.options.realloc else {
                        return Err(ctx.err(format!(
                            "canon lift of {func} ({callee_wit}) has no realloc option, which the call's parameters need"
                        )));
                    };
                    self.resolve_core_def(callee.c, r, ctx)?
                }
                ImportRole::CalleeFunction => {
                    self.resolve_core_def(callee.c, &callee.lifted.func, ctx)?
                }
                ImportRole::CalleePostReturn => match &callee.lifted.options.post_return {
                    Some(p) => self.resolve_core_def(callee.c, p, ctx)?,
                    None => {
                        return Err(ctx.err(
                            "internal error: a post-return import without post-return".into(),
                        ))
                    }
                },
                ImportRole::Flags(n) => {
                    let node = self.flags_node(n, ctx)?;
                    self.resolve_export(node, "0", Vec::new(), ctx)?
                }
                ImportRole::Trap => {
                    let Some(trap) = canon_builtin("trap") else {
                        return Err(ctx.err("internal error: no canon trap builtin".into()));
                    };
                    Resolved {
                        def: Def::Lowered(trap),
                        via: Vec::new(),
                        export: "trap".into(),
                    }
                }
                ImportRole::ResourceTransferOwn
                | ImportRole::ResourceTransferBorrow
                | ImportRole::ResourceEnterCall
                | ImportRole::ResourceExitCall => {
                    let name = match imp.role {
                        ImportRole::ResourceTransferOwn => "resource-transfer-own",
                        ImportRole::ResourceTransferBorrow => "resource-transfer-borrow",
                        ImportRole::ResourceEnterCall => "resource-enter-call",
                        _ => "resource-exit-call",
                    };
                    let Some(b) = canon_builtin(name) else {
                        return Err(ctx.err(format!("internal error: no canon {name} builtin")));
                    };
                    Resolved {
                        def: Def::Lowered(b),
                        via: Vec::new(),
                        export: name.into(),
                    }
                }
            };
            fixed.push(r);
        }
        let base = self.nodes[self.components[caller.c].node].name.clone();
        let name = self.unique_name(&format!("{base}/adapter/{func}"));
        let label = format!("fused adapter for {func}: {caller_wit}");
        let n = self.add_generated(&name, label, adapter.bytes, ctx)?;
        self.fixed_imports.insert(n, fixed);
        Ok(n)
    }

    /// A component function type as the canonical ABI sees it, its
    /// resource types numbered across the graph (so both sides of a call
    /// agree on them).
    fn abi_type(
        &mut self,
        c: usize,
        id: ComponentFuncTypeId,
        resources: &ResourceMap,
        ctx: &Ctx,
        wit: &str,
    ) -> Result<FuncType, GraphError> {
        let flat = Arc::clone(&self.components[c].flat);
        let types: &Types = &flat.types;
        // First the resource types it names, then their numbers.
        let mut named = Vec::new();
        convert_func(types.as_ref(), id, &mut |r| {
            named.push(r);
            0
        })
        .map_err(|e| ctx.err(format!("{wit}: {e}")))?;
        let mut numbers = Vec::with_capacity(named.len());
        for r in named {
            let Some(index) = resource_at(resources, r) else {
                return Err(ctx.err(format!(
                    "internal error: {wit} names a resource type its site does not know"
                )));
            };
            numbers.push((r, self.resource_type_id(c, index, ctx)?));
        }
        convert_func(types.as_ref(), id, &mut |r| {
            numbers.iter().find(|(k, _)| *k == r).map_or(0, |(_, n)| *n)
        })
        .map_err(|e| ctx.err(format!("{wit}: {e}")))
    }

    /// A real node for a generated core module.
    pub(super) fn add_generated(
        &mut self,
        name: &str,
        label: String,
        bytes: Vec<u8>,
        ctx: &Ctx,
    ) -> Result<NodeId, GraphError> {
        let module = parse_wat_or_wasm(&bytes)
            .and_then(parse_module)
            .map_err(|e| ctx.err(format!("internal error: generated module {name}: {e}")))?;
        let source = LoadedSource::new(
            name,
            label,
            None,
            self.base_dir.clone(),
            None,
            Code::Module(Box::new(module)),
        );
        let s = self.sources.len();
        self.sources.push(source);
        Ok(self.add_node(name, name, &SourceRef::Real(s), IndexMap::new(), true))
    }

    /// Component instances are numbered across the graph: those of
    /// component node 0 first, then node 1's, …
    pub(super) fn global_instance(&self, c: usize, ci: ComponentInstanceId) -> u32 {
        let before: usize = self.components[..c]
            .iter()
            .map(|k| k.flat.component_instances.len())
            .sum();
        u32::try_from(before + ci).unwrap_or(u32::MAX)
    }

    /// The component node and flat instance of a global instance number.
    fn local_instance(&self, mut n: usize) -> Option<(usize, ComponentInstanceId)> {
        for (c, k) in self.components.iter().enumerate() {
            let len = k.flat.component_instances.len();
            if n < len {
                return Some((c, n));
            }
            n -= len;
        }
        None
    }

    /// Flat component instance `ci` of component node `c` and every
    /// instance containing it, innermost first.
    fn enclosing(&self, c: usize, ci: ComponentInstanceId) -> Vec<ComponentInstanceId> {
        let mut v = Vec::new();
        let mut at = Some(ci);
        while let Some(i) = at {
            v.push(i);
            at = self.components[c].flat.component_instances[i].parent;
        }
        v
    }

    /// The instances a call from the host enters: component instance `ci`
    /// of component node `c` and every instance containing it.
    pub(super) fn entered_from_host(&self, c: usize, ci: ComponentInstanceId) -> Vec<u32> {
        self.enclosing(c, ci)
            .into_iter()
            .map(|i| self.global_instance(c, i))
            .collect()
    }

    /// The instances a call enters: the callee's instance and every
    /// instance containing it that does not contain the caller (the
    /// spec's entering set).
    fn entering(&self, caller: &CallerSide<'_>, callee: &CalleeSide<'_>) -> Vec<u32> {
        let caller_chain = if caller.c == callee.c {
            self.enclosing(caller.c, caller.lowering.component_instance)
        } else {
            Vec::new()
        };
        self.enclosing(callee.c, callee.lifted.component_instance)
            .into_iter()
            .filter(|i| !caller_chain.contains(i))
            .map(|i| self.global_instance(callee.c, i))
            .collect()
    }

    /// The node holding the flags global of global component instance
    /// `n`, made the first time it is needed.
    pub(super) fn flags_node(&mut self, n: u32, ctx: &Ctx) -> Result<NodeId, GraphError> {
        if let Some(&node) = self.flags_nodes.get(&n) {
            return Ok(node);
        }
        let Some((c, ci)) = self.local_instance(n as usize) else {
            return Err(ctx.err("internal error: flags of an unknown component instance".into()));
        };
        let base = self.nodes[self.components[c].node].name.clone();
        let path = &self.components[c].flat.component_instances[ci].path;
        let instance = if path.is_empty() {
            base
        } else {
            format!("{base}/{path}")
        };
        let name = self.unique_name(&format!("{instance}/flags"));
        let label = format!("flags of component instance \"{instance}\"");
        let node = self.add_generated(
            &name,
            label,
            wasmlink_adapter::provider::flags_module(1),
            ctx,
        )?;
        self.flags_nodes.insert(n, node);
        Ok(node)
    }
}

fn encoding(e: StringEncoding) -> wasmlink_adapter::StringEncoding {
    match e {
        StringEncoding::Utf8 => wasmlink_adapter::StringEncoding::Utf8,
        StringEncoding::Utf16 => wasmlink_adapter::StringEncoding::Utf16,
        StringEncoding::CompactUtf16 => wasmlink_adapter::StringEncoding::Latin1Utf16,
    }
}
