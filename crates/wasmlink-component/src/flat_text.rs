//! A [`FlatComponent`] as text: what flattening produced, one line per
//! core instance import, lowering and export. Tests compare it; it is also
//! how the parts of a flattened component are named in reports
//! ([`FlatComponent::describe_def`], [`FlatComponent::describe_callee`]).

use crate::flat::*;
use crate::wit_text::{describe_entity_type, describe_func_type};
use std::fmt::Write;

impl FlatComponent {
    /// `main.run`, `lower wasi:cli/stdout@0.2.0#get-stdout`,
    /// `resource.drop wasi:io/streams@0.2.0#output-stream`.
    pub fn describe_def(&self, def: &CoreDef) -> String {
        match def {
            CoreDef::Export(e) => self.describe_export(e),
            CoreDef::Lowered(l) => match self.lowerings.get(*l) {
                Some(l) => format!("lower {}", self.describe_callee(&l.callee)),
                None => "lower ?".to_string(),
            },
            CoreDef::Intrinsic(i) => match self.intrinsics.get(*i) {
                Some(i) => format!("{} {}", i.op, self.describe_resource(i.resource)),
                None => "intrinsic ?".to_string(),
            },
        }
    }

    /// `main.memory`.
    pub fn describe_export(&self, e: &CoreExport) -> String {
        let name = self
            .instances
            .get(e.instance)
            .map_or("?", |i| i.name.as_str());
        format!("{name}.{}", e.name)
    }

    /// `wasi:cli/stdout@0.2.0#get-stdout`, or `lifted main.run (in i)`.
    pub fn describe_callee(&self, callee: &Callee) -> String {
        match callee {
            Callee::Import(p) => p.to_string(),
            Callee::Lifted(l) => format!("lifted {}", self.describe_lifted(l)),
        }
    }

    /// `main.run`, with the component instance when it is a nested one.
    pub fn describe_lifted(&self, l: &LiftedFunc) -> String {
        let def = self.describe_def(&l.func);
        match self.component_instances.get(l.component_instance) {
            Some(c) if !c.path.is_empty() => format!("{def} (component instance {})", c.path),
            _ => def,
        }
    }

    /// `wasi:io/streams@0.2.0#output-stream`, `resource 0 of component
    /// instance inner`.
    pub fn describe_resource(&self, r: ResourceIndex) -> String {
        match self.resources.get(r) {
            Some(Resource::Imported(p)) => p.to_string(),
            Some(Resource::Defined {
                component_instance, ..
            }) => match self.component_instances.get(*component_instance) {
                Some(c) if !c.path.is_empty() => {
                    format!("resource {r} of component instance {}", c.path)
                }
                _ => format!("resource {r} of the component"),
            },
            None => format!("resource {r}"),
        }
    }

    fn describe_options(&self, o: &CanonOptions) -> String {
        let mut parts = vec![o.string_encoding.to_string()];
        if let Some(m) = &o.memory {
            parts.push(format!("memory {}", self.describe_export(m)));
        }
        if let Some(r) = &o.realloc {
            parts.push(format!("realloc {}", self.describe_def(r)));
        }
        if let Some(p) = &o.post_return {
            parts.push(format!("post-return {}", self.describe_def(p)));
        }
        parts.join(", ")
    }

    /// Everything flattening produced, for tests and debugging.
    pub fn summary(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "imports:");
        for i in &self.imports {
            let _ = writeln!(
                out,
                "  {}: {}",
                i.name,
                describe_entity_type(&self.types, &i.ty)
            );
        }
        let _ = writeln!(out, "component instances:");
        for (n, c) in self.component_instances.iter().enumerate().skip(1) {
            let parent = c
                .parent
                .and_then(|p| self.component_instances.get(p))
                .map_or("", |p| p.path.as_str());
            let _ = writeln!(out, "  {n}: {} (in {:?})", c.path, parent);
        }
        let _ = writeln!(out, "core instances:");
        for inst in &self.instances {
            let module = &self.modules[inst.module];
            let _ = writeln!(out, "  {}: module {}", inst.name, module.name);
            for (import, def) in module.info.imports.iter().zip(&inst.imports) {
                let _ = writeln!(
                    out,
                    "    {}.{} -> {}",
                    import.module,
                    import.name,
                    self.describe_def(def)
                );
            }
        }
        let _ = writeln!(out, "lowerings:");
        for l in &self.lowerings {
            let _ = writeln!(
                out,
                "  {}: {} ({})",
                self.describe_callee(&l.callee),
                describe_func_type(&self.types, l.ty),
                self.describe_options(&l.options)
            );
        }
        let _ = writeln!(out, "exports:");
        self.summary_exports(&mut out, &self.exports, 1);
        out
    }

    fn summary_exports(&self, out: &mut String, exports: &[ComponentExport], depth: usize) {
        let pad = "  ".repeat(depth);
        for e in exports {
            match &e.item {
                ExportItem::Lifted(l) => {
                    let _ = writeln!(
                        out,
                        "{pad}{}: {} = lift {} ({})",
                        e.name,
                        describe_func_type(&self.types, l.ty),
                        self.describe_lifted(l),
                        self.describe_options(&l.options)
                    );
                }
                ExportItem::Import(p) => {
                    let _ = writeln!(out, "{pad}{}: the imported function {p}", e.name);
                }
                ExportItem::Instance(items) => {
                    let _ = writeln!(out, "{pad}{}: instance", e.name);
                    self.summary_exports(out, items, depth + 1);
                }
                ExportItem::ImportedInstance(p) => {
                    let _ = writeln!(out, "{pad}{}: the imported instance {p}", e.name);
                }
                ExportItem::Type(_) => {
                    let _ = writeln!(out, "{pad}{}: type", e.name);
                }
                ExportItem::Other(what) => {
                    let _ = writeln!(out, "{pad}{}: {what}", e.name);
                }
            }
        }
    }
}
