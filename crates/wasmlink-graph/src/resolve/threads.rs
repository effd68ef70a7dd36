//! What an instance that binds `wasi.thread-spawn` must be: a module the
//! runtime can instantiate again on a new thread (wasi-threads, the ABI of
//! `wasm32-wasip1-threads`).
//!
//! Each spawned thread runs a new instance of the caller's module and
//! enters it through its `wasi_thread_start (param i32 i32)` export, so the
//! module must export that; and the threads must share the module's
//! memory, which a new instance only does when the memory is imported
//! (a defined memory would be made afresh for each instance) and shared
//! (the threads proposal's memories that may be used from several
//! threads). Both are link errors naming the instance, its file and the
//! import.

use super::context::Ctx;
use super::resolver::Resolver;
use crate::error::GraphError;
use wasmlink_abi::THREAD_START_EXPORT;
use wasmlink_module::wasmparser::ValType;
use wasmlink_module::{describe_func_type, ExternKind};

impl Resolver {
    /// Check that source `source`, whose instance's import `ctx` describes
    /// is bound to `thread-spawn`, can run spawned threads.
    pub(super) fn check_thread_spawn(&self, source: usize, ctx: &Ctx) -> Result<(), GraphError> {
        let m = &self.sources[source].module;
        let wanted = "func (i32, i32) -> ()";
        let start = match m.export(THREAD_START_EXPORT) {
            None => Some("it has no such export".to_string()),
            Some(e) if e.kind != ExternKind::Func => {
                Some(format!("it exports a {} by that name", e.kind.describe()))
            }
            Some(e) => {
                let ty = m.func_type(e.index);
                let ok = ty.params() == [ValType::I32, ValType::I32] && ty.results().is_empty();
                (!ok).then(|| format!("it has type func {}", describe_func_type(ty)))
            }
        };
        if let Some(why) = start {
            return Err(ctx.plain(format!(
                "{}, so it must export \"{THREAD_START_EXPORT}\" as {wanted} (wasi-threads), but {why}",
                ctx.head()
            )));
        }
        let memory = match m.memories.first() {
            None => Some("it has no memory"),
            Some(_) if !m.is_imported(ExternKind::Memory, 0) => {
                Some("it defines its memory 0 (each thread would get its own)")
            }
            Some(t) if !t.shared => Some("its memory 0 is not shared"),
            Some(_) => None,
        };
        if let Some(why) = memory {
            return Err(ctx.plain(format!(
                "{}, so its memory 0 must be an imported shared memory (wasi-threads), but {why}",
                ctx.head()
            )));
        }
        // The collector stops no threads: it scans one thread's stack.
        if let Some(gc) = self
            .sources
            .iter()
            .position(|s| s.module.defines_gc_types())
        {
            return Err(ctx.plain(format!(
                "{}, but the program has Wasm GC types ({} defines struct or array types) and wasmlink's collector is single-threaded: wasi-threads and Wasm GC cannot be combined",
                ctx.head(),
                self.sources[gc].label
            )));
        }
        Ok(())
    }
}
