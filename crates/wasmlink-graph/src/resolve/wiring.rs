//! Whole interfaces wired to another component are checked whole: every
//! function and resource type of an interface a component imports from
//! another component instance must be there, whether or not the component
//! calls it (as `wac plug` and wasmtime's linker demand), and a function
//! whose type names no resource must have the same type. Functions the
//! component does call are checked again, resources included, when their
//! adapter is made (`adapters.rs`).

use super::component::{provided_item, Provider};
use super::nodes::NodeKind;
use super::resolver::Resolver;
use crate::display::list;
use crate::error::GraphError;
use std::sync::Arc;
use wasmlink_adapter::from_wasmparser::convert_func;
use wasmlink_component::{describe_func_type, ExportItem, FlatComponent, ImportPath};
use wasmlink_module::wasmparser::component_types::{
    ComponentAnyTypeId, ComponentEntityType, ComponentFuncTypeId,
};
use wasmlink_module::wasmparser::types::Types;

impl Resolver {
    /// Check every interface a component imports from another component.
    pub(super) fn check_component_wiring(&mut self) -> Result<(), GraphError> {
        for c in 0..self.components.len() {
            let flat = Arc::clone(&self.components[c].flat);
            for imp in &flat.imports {
                let ComponentEntityType::Instance(id) = imp.ty else {
                    continue;
                };
                let whole = ImportPath {
                    import: imp.name.clone(),
                    path: Vec::new(),
                };
                let ctx0 = self.import_ctx(c, &whole);
                let Some(Provider {
                    node, export: None, ..
                }) = self.import_provider(c, &whole, &ctx0)?
                else {
                    continue;
                };
                let NodeKind::Component(p) = self.nodes[node].kind else {
                    continue;
                };
                let provider = Arc::clone(&self.components[p].flat);
                for (name, item) in flat.types[id].exports.iter() {
                    let ety = &item.ty;
                    let path = ImportPath {
                        import: imp.name.clone(),
                        path: vec![name.to_string()],
                    };
                    // A re-exported import is present; what it is gets
                    // checked where it comes from.
                    let item = provided_item(&provider, &path);
                    let ctx = self.import_ctx(c, &path);
                    let wants = match ety {
                        ComponentEntityType::Func(_) => "function",
                        ComponentEntityType::Type {
                            created: ComponentAnyTypeId::Resource(_),
                            ..
                        } => "resource type",
                        _ => continue,
                    };
                    let Some(item) = item else {
                        return Err(ctx.err(format!(
                            "{} provides interface \"{}\" without the {wants} \"{name}\"; it exports: {}",
                            self.describe(node),
                            imp.name,
                            list(provider.exports.iter().map(|e| &e.name))
                        )));
                    };
                    if let (ComponentEntityType::Func(want), ExportItem::Lifted(l)) = (ety, &item) {
                        if let Some(problem) = func_mismatch(&flat, *want, &provider, l.ty) {
                            return Err(ctx.err(format!(
                                "the import has type {}, but {} provides {}{problem}",
                                describe_func_type(&flat.types, *want),
                                self.describe(node),
                                describe_func_type(&provider.types, l.ty)
                            )));
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

/// Why function types `a` (of `fa`) and `b` (of `fb`) differ, when neither
/// names a resource (resource types are compared when a call is adapted).
fn func_mismatch(
    fa: &FlatComponent,
    a: ComponentFuncTypeId,
    fb: &FlatComponent,
    b: ComponentFuncTypeId,
) -> Option<String> {
    let convert = |f: &FlatComponent, id| {
        let types: &Types = &f.types;
        let mut resources = false;
        let ty = convert_func(types.as_ref(), id, &mut |_| {
            resources = true;
            0
        });
        (ty, resources)
    };
    match (convert(fa, a), convert(fb, b)) {
        ((Ok(x), false), (Ok(y), false)) if x != y => Some(String::new()),
        _ => None,
    }
}
