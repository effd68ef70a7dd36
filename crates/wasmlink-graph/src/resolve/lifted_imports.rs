//! Core modules importing what is behind a component instance's lifted
//! export, when [`LoadOptions::lifted_core_imports`](super::LoadOptions)
//! is on. The import name says which item of export `E` (a top-level
//! export, or `instance#function` inside an exported instance):
//!
//! | name | item |
//! | --- | --- |
//! | `[lifted]E` | the core function `canon lift` lifts |
//! | `[memory]E` | its `memory` option |
//! | `[realloc]E` | its `realloc` option |
//! | `[post-return]E` | its `post-return` option |
//!
//! The importer plays the host's part of the canonical ABI: it lowers the
//! arguments into the component's memory and lifts the results itself.

use super::context::Ctx;
use super::nodes::Resolved;
use super::resolver::Resolver;
use crate::display::list;
use crate::error::GraphError;
use std::sync::Arc;
use wasmlink_component::{CoreDef, ExportItem};

impl Resolver {
    /// Item `name` (`[kind]E`) of component instance `c`.
    pub(super) fn lifted_core_item(
        &mut self,
        c: usize,
        name: &str,
        ctx: &Ctx,
    ) -> Result<Resolved, GraphError> {
        let Some((kind, export)) = name.strip_prefix('[').and_then(|rest| rest.split_once(']'))
        else {
            return Err(ctx.err(format!(
                "\"{name}\" does not name an item of a lifted export ([lifted]E, [memory]E, [realloc]E or [post-return]E)"
            )));
        };
        let flat = Arc::clone(&self.components[c].flat);
        let path: Vec<&str> = export.split('#').collect();
        let Some(ExportItem::Lifted(lifted)) = flat.export_at(&path) else {
            return Err(ctx.err(format!(
                "{} has no lifted export \"{export}\"; it exports: {}",
                self.describe(self.components[c].node),
                list(flat.exports.iter().map(|e| &e.name))
            )));
        };
        let def = match kind {
            "lifted" => Some(lifted.func.clone()),
            "memory" => lifted.options.memory.clone().map(CoreDef::Export),
            "realloc" => lifted.options.realloc.clone(),
            "post-return" => lifted.options.post_return.clone(),
            _ => {
                return Err(ctx.err(format!(
                    "\"[{kind}]\" is not an item of a lifted export (lifted, memory, realloc, post-return)"
                )))
            }
        };
        let Some(def) = def else {
            return Err(ctx.err(format!(
                "the lifted export \"{export}\" has no {kind} option"
            )));
        };
        self.resolve_core_def(c, &def, ctx)
    }
}
