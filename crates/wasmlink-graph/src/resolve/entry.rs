//! The entry point: `"instance"` (its `_start`), `"instance.export"`, a
//! facade export, or the default (the only explicit instance). The entry
//! must end at a function of a real instance whose parameters are numbers,
//! which the executable reads from its command line.

use super::context::Ctx;
use super::lookup::first_part;
use super::nodes::{Def, NodeKind};
use super::resolver::Resolver;
use crate::builtins::WASI_MODULE;
use crate::display::list;
use crate::error::GraphError;
use crate::instance_graph::Entry;
use crate::manifest::Manifest;
use crate::report::Hop;
use crate::suggest::did_you_mean;
use wasmlink_module::{describe_extern_type, ExternKind, ExternType};

/// Whether an entry parameter of type `t` can be given on the command line
/// (as `wasmtime run --invoke` reads it: a decimal or `0x` integer, a float).
fn is_command_line_type(t: &wasmlink_module::wasmparser::ValType) -> bool {
    use wasmlink_module::wasmparser::ValType;
    matches!(t, ValType::I32 | ValType::I64 | ValType::F32 | ValType::F64)
}

impl Resolver {
    /// `"instance"` (its `_start`) or `"instance.export"`.
    pub(super) fn resolve_entry(
        &mut self,
        text: &str,
        invoke: Option<&str>,
    ) -> Result<Entry, GraphError> {
        let shown;
        let ctx = match invoke {
            Some(name) => {
                shown = format!("{text}\" with --invoke \"{name}");
                Ctx::entry(&shown)
            }
            None => Ctx::entry(text),
        };
        let base = self.base_dir.clone();
        let mut target = self
            .lookup_module(&base, text, true, &ctx)?
            .map(|(n, via)| (n, "_start".to_string(), via));
        if target.is_none() {
            for (i, _) in text.match_indices('.') {
                if i == 0 || i + 1 >= text.len() {
                    continue;
                }
                if let Some((n, via)) = self.lookup_module(&base, &text[..i], true, &ctx)? {
                    target = Some((n, text[i + 1..].to_string(), via));
                    break;
                }
            }
        }
        if target.is_none() {
            // Report why the likeliest reading failed.
            let first = first_part(text);
            if let Some((n, via)) = self.lookup_module(&base, first, false, &ctx)? {
                let export = match text.get(first.len() + 1..) {
                    Some(e) if !e.is_empty() => e.to_string(),
                    _ => "_start".to_string(),
                };
                target = Some((n, export, via));
            }
        }
        let target = target.map(|(n, export, via)| (n, invoke.map_or(export, str::to_string), via));
        let Some((node, export, via)) = target else {
            let first = first_part(text);
            let available = || self.available.iter().filter(|n| n.as_str() != WASI_MODULE);
            return Err(ctx.err(format!(
                "no instance or source is named \"{first}\" (available: {}){}",
                list(available()),
                did_you_mean(first, available())
            )));
        };
        let entry_err = |ctx: &Ctx, desc: String, export: &str, ty: &ExternType| {
            ctx.err(format!(
                "{desc} exports \"{export}\" as {}, but the entry must be a function whose parameters \
                 are numbers (i32, i64, f32, f64), which the executable reads from its command line",
                describe_extern_type(ty)
            ))
        };
        match self.nodes[node].kind.clone() {
            NodeKind::Builtin | NodeKind::Wasi2 { .. } => Err(ctx.err(format!(
                "names a WASI function; the entry must be a function of an instance (available: {})",
                list(self.available.iter().filter(|n| n.as_str() != WASI_MODULE))
            ))),
            NodeKind::Real { source, out } => {
                let module = self.sources[source].module.clone();
                let Some(e) = module.export(&export) else {
                    let hint = match module.exports.iter().find(|e| e.kind == ExternKind::Func) {
                        Some(f) if export == "_start" && text == self.nodes[node].name => format!(
                            "; name an exported function as the entry (\"{text}.{}\")",
                            f.name
                        ),
                        _ => String::new(),
                    };
                    // A hint to name a function replaces the suggestion
                    // (the entry wanted `_start`, not a similar name).
                    let hint = match hint.is_empty() {
                        true => did_you_mean(&export, module.exports.iter().map(|e| &e.name)),
                        false => hint,
                    };
                    return Err(ctx.err(format!(
                        "{} has no export \"{export}\"; it exports: {}{hint}",
                        self.describe(node),
                        list(module.exports.iter().map(|e| &e.name))
                    )));
                };
                let ty = module.extern_type(e.kind, e.index);
                match &ty {
                    ExternType::Func(f) if f.params().iter().all(is_command_line_type) => Ok(Entry {
                        instance: out,
                        func: e.index,
                    }),
                    _ => Err(entry_err(&ctx, self.describe(node), &export, &ty)),
                }
            }
            NodeKind::Component(c) => self.component_entry(node, c, &export, &ctx),
            NodeKind::Virtual => {
                let r = self.resolve_export(node, &export, via, &ctx)?;
                match r.def {
                    Def::Builtin(b) => Err(ctx.err(format!(
                        "{}names the WASI function {}.{}; the entry must be a function of an instance",
                        Hop::render(&r.via),
                        b.module,
                        b.name
                    ))),
                    Def::Lowered(b) => Err(ctx.err(format!(
                        "{}names the WASI 0.2 function {}.{}; the entry must be a function of an instance",
                        Hop::render(&r.via),
                        b.interface,
                        b.name
                    ))),
                    Def::Item {
                        node: d,
                        kind,
                        index,
                    } => {
                        let Some(ty) = self.def_type(d, kind, index) else {
                            return Err(ctx.err(format!(
                                "internal error: {} has no {} {index}",
                                self.describe(d),
                                kind.describe()
                            )));
                        };
                        match (&ty, self.out_id(d)) {
                            (ExternType::Func(f), Some(out)) if f.params().iter().all(is_command_line_type) => {
                                Ok(Entry {
                                    instance: out,
                                    func: index,
                                })
                            }
                            _ => Err(entry_err(
                                &ctx,
                                format!("{}{}", Hop::render(&r.via), self.describe(d)),
                                &r.export,
                                &ty,
                            )),
                        }
                    }
                }
            }
        }
    }

    pub(super) fn default_entry(&self, manifest: &Manifest) -> Result<String, GraphError> {
        let explicit: Vec<&String> = manifest.instances.keys().collect();
        if let [only] = explicit.as_slice() {
            return Ok((*only).clone());
        }
        let message = if explicit.is_empty() {
            format!(
                "{}: no \"entry\", and no instance to default to; add \"entry\": \"instance\" or \"instance.export\" (sources: {})",
                manifest.path.display(),
                list(manifest.sources.keys())
            )
        } else {
            format!(
                "{}: no \"entry\", and {} instances to choose from ({}); add \"entry\": \"instance\" or \"instance.export\"",
                manifest.path.display(),
                explicit.len(),
                list(&explicit)
            )
        };
        Err(GraphError::Entry {
            entry: String::new(),
            message,
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::resolve_cases::{instance, load, load_with};
    use crate::{Entry, FuncTarget, ItemRef, LoadOptions};

    #[test]
    fn entry_forms_give_instance_and_function() {
        let g = load("entry_instance");
        assert_eq!(
            g.graph.entry,
            Entry {
                instance: 0,
                func: 0
            }
        );
        let g = load("entry_instance_export");
        assert_eq!(
            g.graph.entry,
            Entry {
                instance: 0,
                func: 1
            }
        );
        // A source name: its implicit instance.
        let g = load("entry_source");
        assert_eq!(
            g.graph.entry,
            Entry {
                instance: instance(&g, "lib"),
                func: 0
            }
        );
        // Numeric parameters come from the command line.
        let g = load("entry_numeric_params");
        assert_eq!(g.graph.entry.instance, instance(&g, "main"));
        let g = load("entry_through_facade");
        assert_eq!(
            g.graph.entry,
            Entry {
                instance: instance(&g, "app"),
                func: 0
            }
        );
    }

    #[test]
    fn entry_option_overrides_the_manifest() {
        let options = LoadOptions {
            entry: Some("main.run".into()),
            ..Default::default()
        };
        let g = load_with("entry_instance", &options).unwrap();
        assert_eq!(g.graph.entry.func, 1);
        // Manifest-less: the entry need not be `_start`.
        let options = LoadOptions {
            entry: Some("main.f".into()),
            ..Default::default()
        };
        let g = load_with("manifest_less_entry_without_start", &options).unwrap();
        assert_eq!(
            g.graph.entry,
            Entry {
                instance: 0,
                func: 0
            }
        );
    }

    #[test]
    fn entry_may_be_an_imported_function() {
        let g = load("entry_imported_function");
        assert_eq!(
            g.graph.entry,
            Entry {
                instance: 0,
                func: 0
            }
        );
        assert_eq!(
            g.graph.resolve_func(0, 0),
            FuncTarget::Defined(ItemRef {
                instance: instance(&g, "lib"),
                index: 0
            })
        );
    }
}
