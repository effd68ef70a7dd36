//! Resource types that components define, and their handles.
//!
//! Handles live in the runtime's per-instance handle tables, next to
//! WASI's. A resource type a component defines gets a number at build time
//! whose high 16 bits are the handle table of the component instance that
//! implements it (the runtime passes a borrow lent to that instance as the
//! representation itself). A resource type a component imports is followed
//! through the wiring to the component that exports it, so both sides of
//! a call agree on the number, and the adapter between them moves handles
//! of it (`wasmlink:canon` `resource-transfer-own/borrow`).
//!
//! `canon resource.new/rep/drop` of such a type is a small generated
//! module (`app/resource.drop/3`) that calls the runtime's
//! `resource-new/rep/drop` with the type's number, in the handle table of
//! the instance that uses the intrinsic; `drop` then runs the type's
//! destructor (a core function of the implementing instance) when the
//! handle owned the resource.

use super::component::provided_item;
use super::context::Ctx;
use super::nodes::{Def, NodeKind, Resolved};
use super::resolver::Resolver;
use crate::error::GraphError;
use crate::lowered::canon_builtin;
use std::sync::Arc;
use wasmlink_component::{ExportItem, IntrinsicId, Resource, ResourceIndex, ResourceOp};

/// Imports re-exported through more components than this are refused
/// (a cycle of components exporting each other's imports).
const MAX_RESOURCE_HOPS: usize = 64;

/// What a resource type finally is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum ResourceKey {
    /// Defined by component node `c` (index into the resolver's
    /// components), resource `r` of its flat form.
    Defined { c: usize, r: ResourceIndex },
    /// A WASI resource type (`wasi:io/streams@0.2.0#output-stream`).
    Host(String),
}

impl Resolver {
    /// What resource `r` of component node `c` is, following imports
    /// through the wiring to the component that defines it.
    pub(super) fn resource_key(
        &mut self,
        mut c: usize,
        mut r: ResourceIndex,
        ctx: &Ctx,
    ) -> Result<ResourceKey, GraphError> {
        for _ in 0..MAX_RESOURCE_HOPS {
            let flat = Arc::clone(&self.components[c].flat);
            let path = match flat.resources.get(r) {
                Some(Resource::Defined { .. }) => return Ok(ResourceKey::Defined { c, r }),
                Some(Resource::Imported(path)) => path.clone(),
                None => return Err(ctx.err("internal error: a resource out of range".into())),
            };
            let ictx = self.import_ctx(c, &path);
            let Some(super::component::Provider {
                node, ctx: ictx, ..
            }) = self.import_provider(c, &path, &ictx)?
            else {
                return Err(ictx.err(format!(
                    "nothing provides resource type \"{}\"; wire interface \"{}\" to a component instance in the instance's \"imports\"",
                    path.item_name(),
                    path.import
                )));
            };
            let c2 = match self.nodes[node].kind {
                NodeKind::Wasi2 { .. } => return Ok(ResourceKey::Host(path.to_string())),
                NodeKind::Component(c2) => c2,
                _ => {
                    return Err(ictx.err(format!(
                        "{} is not a component instance; a component's imports are provided by component instances or by WASI",
                        self.describe(node)
                    )))
                }
            };
            let provider = Arc::clone(&self.components[c2].flat);
            match provided_item(&provider, &path) {
                Some(ExportItem::Type(Some(r2))) => {
                    c = c2;
                    r = r2;
                }
                _ => {
                    return Err(ictx.err(format!(
                        "{} exports no resource type \"{}\" for it",
                        self.describe(node),
                        path.item_name()
                    )))
                }
            }
        }
        Err(ctx.err("resource types re-exported through too many components".into()))
    }

    /// The number of resource `r` of component node `c`: defined by a
    /// component, or one of WASI's.
    pub(super) fn resource_type_id(
        &mut self,
        c: usize,
        r: ResourceIndex,
        ctx: &Ctx,
    ) -> Result<u32, GraphError> {
        let key = self.resource_key(c, r, ctx)?;
        self.key_type_id(&key, ctx)
    }

    /// The number of the resource type `key` stands for.
    fn key_type_id(&mut self, key: &ResourceKey, ctx: &Ctx) -> Result<u32, GraphError> {
        let (oc, or) = match *key {
            ResourceKey::Defined { c, r } => (c, r),
            ResourceKey::Host(ref name) => return wasi_resource_id(name, ctx),
        };
        if let Some(&id) = self.resource_ids.get(&(oc, or)) {
            return Ok(id);
        }
        let Some(Resource::Defined {
            component_instance, ..
        }) = self.components[oc].flat.resources.get(or)
        else {
            return Err(ctx.err("internal error: a defined resource that is not".into()));
        };
        let owner = self.global_instance(oc, *component_instance);
        let n = self.resource_counts.entry(owner).or_insert(0);
        if owner >= 1 << 16 || *n >= 1 << 16 {
            return Err(ctx.err(
                "more than 65536 component instances, or resource types in one, are not supported"
                    .into(),
            ));
        }
        let id = owner << 16 | *n;
        *n += 1;
        self.resource_ids.insert((oc, or), id);
        Ok(id)
    }

    /// `canon resource.new/rep/drop` (intrinsic `i` of component node `c`)
    /// of a resource type a component defines: its generated wrapper.
    pub(super) fn resource_intrinsic(
        &mut self,
        c: usize,
        i: IntrinsicId,
        ctx: &Ctx,
    ) -> Result<Resolved, GraphError> {
        let flat = Arc::clone(&self.components[c].flat);
        let Some(intrinsic) = flat.intrinsics.get(i) else {
            return Err(ctx.err("internal error: an intrinsic out of range".into()));
        };
        let op = match intrinsic.op {
            ResourceOp::New => "resource.new",
            ResourceOp::Rep => "resource.rep",
            ResourceOp::Drop => "resource.drop",
        };
        if let Some(&node) = self.intrinsic_nodes.get(&(c, i)) {
            return self.resolve_export(node, op, Vec::new(), ctx);
        }
        let key = self.resource_key(c, intrinsic.resource, ctx)?;
        let ty = self.key_type_id(&key, ctx)?;
        let (canon, dtor) = match intrinsic.op {
            ResourceOp::New => ("resource-new", None),
            ResourceOp::Rep => ("resource-rep", None),
            ResourceOp::Drop => {
                let ResourceKey::Defined { c: oc, r: or } = key else {
                    return Err(ctx.err("internal error: a host resource here".into()));
                };
                let owner = Arc::clone(&self.components[oc].flat);
                let dtor = match owner.resources.get(or) {
                    Some(Resource::Defined { dtor: Some(d), .. }) => {
                        Some(self.resolve_core_def(oc, d, ctx)?)
                    }
                    _ => None,
                };
                ("resource-drop", dtor)
            }
        };
        let Some(builtin) = canon_builtin(canon) else {
            return Err(ctx.err(format!("internal error: no canon {canon} builtin")));
        };
        let text = wrapper_module(op, canon, ty, dtor.is_some());
        let base = self.nodes[self.components[c].node].name.clone();
        let name = self.unique_name(&format!("{base}/{op}/{ty}"));
        let label = format!(
            "canon {op} of {}",
            flat.describe_resource(intrinsic.resource)
        );
        let node = self.add_generated(&name, label, text.into_bytes(), ctx)?;
        let mut fixed = vec![Resolved {
            def: Def::Lowered(builtin),
            via: Vec::new(),
            export: canon.into(),
        }];
        let guarded = dtor.is_some();
        fixed.extend(dtor);
        if guarded {
            let Some(trap) = canon_builtin("trap") else {
                return Err(ctx.err("internal error: no canon trap builtin".into()));
            };
            fixed.push(Resolved {
                def: Def::Lowered(trap),
                via: Vec::new(),
                export: "trap".into(),
            });
        }
        self.fixed_imports.insert(node, fixed);
        for slot in [0, 2] {
            self.component_lower_options.insert(
                (node, slot),
                super::component::ComponentLowerOptions::table_only(
                    c,
                    intrinsic.component_instance,
                ),
            );
        }
        self.intrinsic_nodes.insert((c, i), node);
        self.resolve_export(node, op, Vec::new(), ctx)
    }
}

/// The number of a WASI resource type (`wasi:io/streams@0.2.3#output-stream`):
/// its index in the list the runtime shares, whatever the 0.2.x version.
fn wasi_resource_id(name: &str, ctx: &Ctx) -> Result<u32, GraphError> {
    let (iface, item) = name.split_once('#').unwrap_or((name, ""));
    let iface = iface.split_once('@').map_or(iface, |(i, _)| i);
    let key = format!("{iface}#{item}");
    match wasmlink_abi::WASI2_RESOURCES.iter().position(|r| *r == key) {
        Some(i) => Ok(wasmlink_abi::WASI2_RESOURCE_OWNER << 16 | i as u32),
        None => Err(ctx.err(format!(
            "{name} is not a WASI 0.2 resource type the runtime provides"
        ))),
    }
}

/// The text of a wrapper: `op` exported with the intrinsic's core type,
/// calling the runtime's `canon` function with resource type `ty`; for a
/// drop with a destructor, calling it with the representation when the
/// handle owned the resource.
fn wrapper_module(op: &str, canon: &str, ty: u32, dtor: bool) -> String {
    let ty = ty as i32;
    match op {
        "resource.drop" => {
            let mut m = format!(
                "(module\n  (import \"wasmlink:canon\" \"{canon}\" (func $canon (param i32 i32) (result i64)))\n"
            );
            if dtor {
                m.push_str("  (import \"owner\" \"dtor\" (func $dtor (param i32)))\n");
                m.push_str("  (import \"wasmlink:canon\" \"trap\" (func $trap (param i32)))\n");
            }
            m.push_str(&format!(
                "  (func (export \"{op}\") (param i32) (local i64)\n    i32.const {ty}\n    local.get 0\n    call $canon\n    local.set 1\n"
            ));
            if dtor {
                // The destructor is the owner component's code: an exception
                // it throws traps here instead of unwinding into the caller.
                m.push_str(&format!(
                    "    local.get 1\n    i64.const 32\n    i64.shr_u\n    i32.wrap_i64\n    if\n      block $caught\n        try_table (catch_all $caught)\n          local.get 1\n          i32.wrap_i64\n          call $dtor\n        end\n        br 1\n      end\n      i32.const {}\n      call $trap\n      unreachable\n    end\n",
                    wasmlink_abi::Trap::ExceptionLeftComponent.code()
                ));
            }
            m.push_str("  ))\n");
            m
        }
        _ => format!(
            "(module\n  (import \"wasmlink:canon\" \"{canon}\" (func $canon (param i32 i32) (result i32)))\n  (func (export \"{op}\") (param i32) (result i32)\n    i32.const {ty}\n    local.get 0\n    call $canon))\n"
        ),
    }
}
