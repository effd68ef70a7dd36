//! Rules 1–5: which node an import module name stands for, as seen from
//! one node (`resolve/mod.rs` states the rules). [`Resolver::route`] applies
//! rule 1 (the node's `imports` map) and falls through to
//! [`Resolver::lookup_module`] for rules 2–4; rule 5 is the error both give
//! when nothing matched, listing the names that were available.

use super::context::Ctx;
use super::nodes::{NodeId, NodeKind, Route, SourceRef};
use super::resolver::Resolver;
use crate::builtins::{WASI_MODULE, WASI_THREADS_MODULE};
use crate::display::list;
use crate::error::GraphError;
use crate::lowered::split_wasi_interface;
use crate::manifest::ImportSpec;
use crate::report::Hop;
use indexmap::IndexMap;
use std::path::Path;

impl Resolver {
    /// Rule 2 for exact names: an explicit instance, else a source's
    /// implicit instance (created on first use).
    pub(super) fn node_named(&mut self, name: &str) -> Option<NodeId> {
        if let Some(&n) = self.node_by_name.get(name) {
            return Some(n);
        }
        let src = self.source_by_name.get(name)?.clone();
        let n = self.add_node(name, name, &src, IndexMap::new(), false);
        self.node_by_name.insert(name.to_string(), n);
        Some(n)
    }

    /// Rules 2–4 for a module name seen from a node whose files are in
    /// `dir`. `Ok(None)` means no rule matched. With `probe`, a relative
    /// specifier naming no file is `None` instead of an error.
    pub(super) fn lookup_module(
        &mut self,
        dir: &Path,
        module: &str,
        probe: bool,
        ctx: &Ctx,
    ) -> Result<Option<(NodeId, Vec<Hop>)>, GraphError> {
        // Rule 2: a node of that exact name.
        if let Some(n) = self.node_named(module) {
            return Ok(Some((n, Vec::new())));
        }
        // Rule 2: `facade/NS/…`, a namespace of a facade. The shortest
        // prefix that names a facade is the one taken.
        for (i, _) in module.match_indices('/') {
            let (prefix, rest) = (&module[..i], &module[i + 1..]);
            if prefix.is_empty() || rest.is_empty() {
                continue;
            }
            let is_facade = match self.node_by_name.get(prefix) {
                Some(&n) => matches!(self.nodes[n].kind, NodeKind::Virtual),
                None => matches!(self.source_by_name.get(prefix), Some(SourceRef::Virtual(_))),
            };
            if !is_facade {
                continue;
            }
            let Some(mut node) = self.node_named(prefix) else {
                continue;
            };
            let mut hops = Vec::new();
            for ns in rest.split('/') {
                match self.resolve_namespace(node, ns, &mut hops, ctx) {
                    Ok(n) => node = n,
                    // Probing (`a/b.c` may be node `a/b`, export `c`): not
                    // a match; the caller repeats the lookup it reports.
                    Err(_) if probe => return Ok(None),
                    Err(e) => return Err(e),
                }
            }
            return Ok(Some((node, hops)));
        }
        // Rule 3.
        if module == WASI_MODULE {
            return Ok(Some((self.builtin_node(WASI_MODULE), Vec::new())));
        }
        // Rule 3: wasi-threads' `wasi` module (`thread-spawn`).
        if module == WASI_THREADS_MODULE {
            return Ok(Some((self.builtin_node(WASI_THREADS_MODULE), Vec::new())));
        }
        // Rule 3: a WASI interface (its version is checked when a
        // function is asked for, so the message can name it).
        if let Some((interface, version)) = split_wasi_interface(module) {
            return Ok(Some((
                self.wasi2_node(module, interface, version),
                Vec::new(),
            )));
        }
        // Rule 4.
        if module.starts_with("./") || module.starts_with("../") {
            return Ok(self
                .relative(dir, module, probe, ctx)?
                .map(|n| (n, Vec::new())));
        }
        Ok(None)
    }

    /// Rules 1–5 for module `module` (and, for an item, export `name`) as
    /// node `from` sees it.
    pub(super) fn route(
        &mut self,
        from: NodeId,
        module: &str,
        name: Option<&str>,
        ctx: &Ctx,
    ) -> Result<Route, GraphError> {
        let dir = self.nodes[from].dir.clone();
        let spec = self.nodes[from].imports.get(module).cloned();
        let mut names_note = String::new();
        match spec {
            // Rule 1, the whole module.
            Some(ImportSpec::Node(target)) => {
                let mapped = format!(" (mapped to \"{target}\")");
                let ctx = ctx.with_mapped(&mapped);
                // Later messages name the node found, so they need no note.
                return match self.lookup_module(&dir, &target, false, &ctx)? {
                    Some((node, via)) => Ok(Route {
                        node,
                        name: name.map(str::to_string),
                        via,
                        mapped: String::new(),
                    }),
                    None => Err(ctx.module_err(self.not_found(&target))),
                };
            }
            // Rule 1, per name; names not listed fall through.
            Some(ImportSpec::Names(map)) => {
                if let Some(target) = name.and_then(|n| map.get(n)) {
                    let mapped = format!(" (mapped to \"{target}\")");
                    let ctx = ctx.with_mapped(&mapped);
                    for (i, _) in target.match_indices('.') {
                        if i == 0 || i + 1 >= target.len() {
                            continue;
                        }
                        if let Some((node, via)) =
                            self.lookup_module(&dir, &target[..i], true, &ctx)?
                        {
                            return Ok(Route {
                                node,
                                name: Some(target[i + 1..].to_string()),
                                via,
                                mapped,
                            });
                        }
                    }
                    let first = first_part(target);
                    // Report why the likeliest reading failed.
                    if let Some((node, via)) = self.lookup_module(&dir, first, false, &ctx)? {
                        if let Some(export) = target.get(first.len() + 1..) {
                            return Ok(Route {
                                node,
                                name: Some(export.to_string()),
                                via,
                                mapped,
                            });
                        }
                    }
                    return Err(ctx.err(self.not_found(first)));
                }
                names_note = format!(
                    "; the imports map of \"{}\" maps only these names of \"{module}\": {}",
                    self.nodes[from].name,
                    list(map.keys())
                );
            }
            None => {}
        }
        // Rules 2–4, else rule 5.
        match self.lookup_module(&dir, module, false, ctx)? {
            Some((node, via)) => Ok(Route {
                node,
                name: name.map(str::to_string),
                via,
                mapped: String::new(),
            }),
            None => Err(ctx.module_err(format!("{}{names_note}", self.not_found(module)))),
        }
    }
}

/// `a` of `a.b.c` (the text before the first dot that has something on
/// both sides), or the whole text.
pub(super) fn first_part(text: &str) -> &str {
    text.match_indices('.')
        .map(|(i, _)| i)
        .find(|&i| i > 0 && i + 1 < text.len())
        .map_or(text, |i| &text[..i])
}
