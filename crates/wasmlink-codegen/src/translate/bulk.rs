//! What memories and tables share: `*.copy` and `*.init` take three operands
//! and go to a runtime helper that checks bounds before writing, and
//! `data.drop`/`elem.drop` empty a segment slot in the vmctx.

use super::{to_u64, Translator};
use cranelift_codegen::ir::{types, InstBuilder, MemFlagsData, Value};
use wasmlink_abi::{field, RuntimeFn, Trap};

impl Translator<'_, '_> {
    /// `memory.copy` / `table.copy` between the structures `dst` and `src`.
    pub(super) fn bulk_copy(
        &mut self,
        dst: Value,
        src: Value,
        f: RuntimeFn,
        trap: Trap,
    ) -> Result<(), String> {
        let (to, from, len) = self.pop3()?;
        let to = to_u64(&mut self.builder, to);
        let from = to_u64(&mut self.builder, from);
        let len = to_u64(&mut self.builder, len);
        self.env
            .call_runtime_checked(&mut self.builder, f, &[dst, src, to, from, len], trap);
        Ok(())
    }

    /// `memory.init` / `table.init` of structure `target` from segment slot `seg`.
    pub(super) fn bulk_init(
        &mut self,
        target: Value,
        seg: Value,
        f: RuntimeFn,
        trap: Trap,
    ) -> Result<(), String> {
        let (to, from, len) = self.pop3()?;
        let to = to_u64(&mut self.builder, to);
        self.env
            .call_runtime_checked(&mut self.builder, f, &[target, to, seg, from, len], trap);
        Ok(())
    }

    /// `data.drop` / `elem.drop`: the segment becomes empty for this instance.
    pub(super) fn drop_segment(&mut self, seg: Value) {
        let zero = self.builder.ins().iconst(types::I64, 0);
        self.builder
            .ins()
            .store(MemFlagsData::trusted(), zero, seg, field::SEGMENT_LEN);
    }
}
