//! The entry point of a component instance: its `wasi:cli/run@0.2.x`
//! export (the default), or an exported function whose parameters and
//! result are numbers (`"entry": "app.add"`, `--invoke add`).
//!
//! `run` returns `result`: the program exits with 0 for `ok` and 1 for
//! `err`. A small core module generated here (an instance named
//! `app/run`) calls the lifted core function, its post-return function if
//! it has one, and `proc_exit(1)` on `err`. For a numeric export, a
//! generated module calls the function and its post-return and returns
//! the results. Either way the component instance counts as entered for
//! the duration (its may-enter flag is clear), so a component it calls
//! cannot call back into it.

use super::component::item_def;
use super::context::Ctx;
use super::nodes::{Def, NodeId, NodeKind, Resolved};
use super::resolver::Resolver;
use crate::builtins::{builtin, WASI_MODULE};
use crate::display::list;
use crate::error::GraphError;
use crate::instance_graph::Entry;
use std::sync::Arc;
use wasmlink_component::{describe_func_type, ExportItem, FlatComponent, LiftedFunc};
use wasmlink_module::wasmparser::component_types::{ComponentDefinedType, ComponentValType};
use wasmlink_module::wasmparser::{PrimitiveValType, ValType};

/// The exports `run` is looked for in: `wasi:cli/run@0.2.N`.
const RUN_PREFIX: &str = "wasi:cli/run@0.2.";

impl Resolver {
    /// The entry of component instance `c` (node `node`): `export` is
    /// `_start` when the entry names the instance alone.
    pub(super) fn component_entry(
        &mut self,
        node: NodeId,
        c: usize,
        export: &str,
        ctx: &Ctx,
    ) -> Result<Entry, GraphError> {
        let flat = Arc::clone(&self.components[c].flat);
        let desc = self.describe(node);
        if export == "_start" {
            let Some(run) = flat.exports.iter().find(|e| e.name.starts_with(RUN_PREFIX)) else {
                return Err(ctx.err(format!(
                    "{desc} has no wasi:cli/run@0.2 export; name an exported function as the entry (\"{}.NAME\"); it exports: {}",
                    self.nodes[node].name,
                    list(flat.exports.iter().map(|e| &e.name))
                )));
            };
            let lifted = match &run.item {
                ExportItem::Instance(items) => {
                    items.iter().find(|e| e.name == "run").map(|e| &e.item)
                }
                _ => None,
            };
            let Some(ExportItem::Lifted(lifted)) = lifted else {
                return Err(ctx.err(format!(
                    "{desc} exports \"{}\" without a function \"run\" lifted inside it",
                    run.name
                )));
            };
            let ty = &flat.types[lifted.ty];
            let ok = ty.params.is_empty()
                && matches!(ty.result, Some(ComponentValType::Type(id))
                    if matches!(flat.types[id], ComponentDefinedType::Result { ok: None, err: None, .. }));
            if !ok {
                return Err(ctx.err(format!(
                    "{desc} exports \"{}\" \"run\" as {}, but wasi:cli/run's run is func() -> result",
                    run.name,
                    describe_func_type(&flat.types, lifted.ty)
                )));
            }
            return self.generated_entry(node, c, lifted, EntryKind::Run, ctx);
        }
        let Some(e) = flat.exports.iter().find(|e| e.name == export) else {
            return Err(ctx.err(format!(
                "{desc} has no export \"{export}\"; it exports: {}{}",
                list(flat.exports.iter().map(|e| &e.name)),
                crate::suggest::did_you_mean(export, flat.exports.iter().map(|e| &e.name))
            )));
        };
        let ExportItem::Lifted(lifted) = &e.item else {
            return Err(ctx.err(format!(
                "{desc} exports \"{export}\", which is not a function lifted inside it; the entry must be one"
            )));
        };
        let ty = &flat.types[lifted.ty];
        let numbers = ty.params.iter().all(|(_, t)| is_number(&flat, t))
            && ty.result.as_ref().is_none_or(|t| is_number(&flat, t));
        if !numbers {
            return Err(ctx.err(format!(
                "{desc} exports \"{export}\" as {}, but an entry's parameters and result must be numbers (s32, s64, f32, f64), which the executable reads from its command line and prints",
                describe_func_type(&flat.types, lifted.ty)
            )));
        }
        self.generated_entry(node, c, lifted, EntryKind::Call(export.to_string()), ctx)
    }

    /// An entry module calling lifted function `lifted` of component
    /// instance `c`; its instance is named after the component instance.
    fn generated_entry(
        &mut self,
        node: NodeId,
        c: usize,
        lifted: &LiftedFunc,
        kind: EntryKind,
        ctx: &Ctx,
    ) -> Result<Entry, GraphError> {
        let func = self.resolve_core_def(c, &lifted.func, ctx)?;
        let post = match &lifted.options.post_return {
            Some(p) => Some(self.resolve_core_def(c, p, ctx)?),
            None => None,
        };
        let Some((func_node, func_index)) = item_def(&func) else {
            return Err(ctx.err("the entry's core function is a WASI function".into()));
        };
        let core_ty = match self.def_type(func_node, wasmlink_module::ExternKind::Func, func_index)
        {
            Some(wasmlink_module::ExternType::Func(f)) => f,
            _ => {
                return Err(ctx.err("internal error: the entry's core function has no type".into()))
            }
        };
        let params: Vec<ValType> = core_ty.params().to_vec();
        let results: Vec<ValType> = core_ty.results().to_vec();
        // The call enters the component instance (and those containing
        // it): a call back into it from a component it calls traps, as
        // for any call between components (`adapters.rs`).
        let entered = self.entered_from_host(c, lifted.component_instance);
        let mut flags = Vec::with_capacity(entered.len());
        for n in entered {
            let node = self.flags_node(n, ctx)?;
            flags.push(self.resolve_export(node, "0", Vec::new(), ctx)?);
        }
        let text = entry_module(&kind, &params, &results, post.is_some(), flags.len());
        let base = self.nodes[node].name.clone();
        let name = self.unique_name(&format!("{base}/{}", kind.instance_name()));
        let label = format!("entry of component instance \"{base}\"");
        let n = self.add_generated(&name, label, text.into_bytes(), ctx)?;
        let mut fixed = vec![func];
        if let Some(p) = post {
            fixed.push(p);
        }
        if matches!(kind, EntryKind::Run) {
            let Some(exit) = builtin(WASI_MODULE, "proc_exit") else {
                return Err(ctx.err("internal error: no proc_exit builtin".into()));
            };
            fixed.push(Resolved {
                def: Def::Builtin(exit),
                via: Vec::new(),
                export: "proc_exit".into(),
            });
        }
        fixed.extend(flags);
        self.fixed_imports.insert(n, fixed);
        let Some(out) = self.out_id(n) else {
            return Err(ctx.err("internal error: the entry module has no instance".into()));
        };
        let export = kind.export_name();
        let NodeKind::Real { source, .. } = self.nodes[n].kind else {
            return Err(ctx.err("internal error: the entry module is not an instance".into()));
        };
        let Some(e) = self.sources[source].module.export(&export) else {
            return Err(ctx.err("internal error: the entry module has no entry".into()));
        };
        Ok(Entry {
            instance: out,
            func: e.index,
        })
    }
}

/// What a generated entry module does.
enum EntryKind {
    /// `wasi:cli/run`'s `run`: exit status from the result.
    Run,
    /// A numeric export with a post-return function.
    Call(String),
}

impl EntryKind {
    fn instance_name(&self) -> &str {
        match self {
            EntryKind::Run => "run",
            EntryKind::Call(name) => name,
        }
    }

    fn export_name(&self) -> String {
        match self {
            EntryKind::Run => "_start".to_string(),
            EntryKind::Call(name) => name.clone(),
        }
    }
}

/// A WAT string literal.
fn wat_string(s: &str) -> String {
    let mut out = String::from("\"");
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.:/@#".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("\\{b:02x}"));
        }
    }
    out.push('"');
    out
}

/// The text of an entry module. Imports, in order: the lifted core
/// function, its post-return function (if any), `proc_exit` (for `run`),
/// then `flags` global `0`, `1`, … of each instance the call enters, whose
/// may-enter bit is clear from the call until after post-return.
fn entry_module(
    kind: &EntryKind,
    params: &[ValType],
    results: &[ValType],
    post: bool,
    flags: usize,
) -> String {
    let list = |v: &[ValType]| {
        v.iter()
            .map(|t| t.to_string())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let (p, r) = (list(params), list(results));
    let mut m = format!(
        "(module\n  (import \"component\" \"func\" (func $func (param {p}) (result {r})))\n"
    );
    if post {
        m.push_str(&format!(
            "  (import \"component\" \"post-return\" (func $post (param {r})))\n"
        ));
    }
    match kind {
        EntryKind::Run => {
            m.push_str(
                "  (import \"wasi_snapshot_preview1\" \"proc_exit\" (func $exit (param i32)))\n",
            );
            // `result` lifts from discriminant 0 (ok) or 1 (err); any other
            // value is invalid, as the canonical ABI says: a trap, in a
            // function whose name says why.
            m.push_str(&flags_imports(flags));
            m.push_str("  (func $invalid-result-discriminant unreachable)\n");
            m.push_str("  (func (export \"_start\") (local $r i32)\n");
            m.push_str(&set_may_enter(flags, false));
            m.push_str("    call $func\n    local.set $r\n");
            if post {
                m.push_str("    local.get $r\n    call $post\n");
            }
            m.push_str(&set_may_enter(flags, true));
            m.push_str(
                "    local.get $r\n    i32.const 1\n    i32.gt_u\n    if\n      call $invalid-result-discriminant\n    end\n    local.get $r\n    if\n      i32.const 1\n      call $exit\n    end))\n",
            );
        }
        EntryKind::Call(name) => {
            m.push_str(&flags_imports(flags));
            let locals: Vec<String> = results.iter().map(|t| format!("(local {t})")).collect();
            m.push_str(&format!(
                "  (func (export {}) (param {p}) (result {r}) {}\n",
                wat_string(name),
                locals.join(" ")
            ));
            m.push_str(&set_may_enter(flags, false));
            for i in 0..params.len() {
                m.push_str(&format!("    local.get {i}\n"));
            }
            m.push_str("    call $func\n");
            let first = params.len();
            for i in (0..results.len()).rev() {
                m.push_str(&format!("    local.set {}\n", first + i));
            }
            if post {
                for i in 0..results.len() {
                    m.push_str(&format!("    local.get {}\n", first + i));
                }
                m.push_str("    call $post\n");
            }
            m.push_str(&set_may_enter(flags, true));
            for i in 0..results.len() {
                m.push_str(&format!("    local.get {}\n", first + i));
            }
            m.push_str("  ))\n");
        }
    }
    m
}

/// The imports of the flags globals of the instances an entry enters.
fn flags_imports(n: usize) -> String {
    (0..n)
        .map(|i| format!("  (import \"flags\" \"{i}\" (global $flags{i} (mut i32)))\n"))
        .collect()
}

/// Set (`on`) or clear the may-enter bit of each entered instance's flags.
fn set_may_enter(n: usize, on: bool) -> String {
    let bit = wasmlink_adapter::FLAG_MAY_ENTER;
    (0..n)
        .map(|i| {
            if on {
                format!("    global.get $flags{i}\n    i32.const {bit}\n    i32.or\n    global.set $flags{i}\n")
            } else {
                format!(
                    "    global.get $flags{i}\n    i32.const {}\n    i32.and\n    global.set $flags{i}\n",
                    !bit
                )
            }
        })
        .collect()
}

/// Whether a component value type passes to and from the command line as
/// a core number of the same meaning.
fn is_number(flat: &FlatComponent, ty: &ComponentValType) -> bool {
    let p = match ty {
        ComponentValType::Primitive(p) => *p,
        ComponentValType::Type(id) => match flat.types[*id] {
            ComponentDefinedType::Primitive(p) => p,
            _ => return false,
        },
    };
    matches!(
        p,
        PrimitiveValType::S32
            | PrimitiveValType::S64
            | PrimitiveValType::F32
            | PrimitiveValType::F64
    )
}
