//! Tables: `table.get`/`set`/`size`/`grow`/`fill`/`copy`/`init` and
//! `elem.drop`. Element accesses are inline (bounds-checked by
//! [`FuncEnv::table_elem_addr`](crate::env::FuncEnv::table_elem_addr));
//! everything that may touch many elements or reallocate is a runtime call.

use super::{to_u64, Translator};
use cranelift_codegen::ir::{types, InstBuilder, MemFlagsData, Value};
use wasmlink_abi::{field, RuntimeFn, Trap};
use wasmlink_module::wasmparser::Operator;

impl Translator<'_, '_> {
    pub(super) fn translate_table(&mut self, op: &Operator<'_>) -> Result<bool, String> {
        match op {
            Operator::TableGet { table } => {
                let index = self.pop()?;
                let addr = self.env.table_elem_addr(
                    &mut self.builder,
                    *table,
                    index,
                    Trap::TableOutOfBounds,
                );
                let v = self
                    .builder
                    .ins()
                    .load(types::I64, MemFlagsData::trusted(), addr, 0);
                self.push(v);
            }
            Operator::TableSet { table } => {
                let (index, v) = self.pop2()?;
                let addr = self.env.table_elem_addr(
                    &mut self.builder,
                    *table,
                    index,
                    Trap::TableOutOfBounds,
                );
                self.builder
                    .ins()
                    .store(MemFlagsData::trusted(), v, addr, 0);
            }
            Operator::TableSize { table } => {
                let t = self.env.table_struct(&mut self.builder, *table);
                let len = self.builder.ins().load(
                    types::I64,
                    MemFlagsData::trusted(),
                    t,
                    field::TABLE_LENGTH,
                );
                let len = self.table_index_value(*table, len);
                self.push(len);
            }
            Operator::TableGrow { table } => {
                let (init, delta) = self.pop2()?;
                let delta = to_u64(&mut self.builder, delta);
                let t = self.env.table_struct(&mut self.builder, *table);
                let old = self.env.call_runtime(
                    &mut self.builder,
                    RuntimeFn::TableGrow,
                    &[t, delta, init],
                );
                let old = *old.first().ok_or("table.grow helper returns nothing")?;
                // u64::MAX ("failed") truncates to the i32 -1 Wasm wants.
                let old = self.table_index_value(*table, old);
                self.push(old);
            }
            Operator::TableFill { table } => {
                let (dst, val, len) = self.pop3()?;
                let dst = to_u64(&mut self.builder, dst);
                let len = to_u64(&mut self.builder, len);
                let t = self.env.table_struct(&mut self.builder, *table);
                self.env.call_runtime_checked(
                    &mut self.builder,
                    RuntimeFn::TableFill,
                    &[t, dst, val, len],
                    Trap::TableOutOfBounds,
                );
            }
            Operator::TableCopy {
                dst_table,
                src_table,
            } => {
                let d = self.env.table_struct(&mut self.builder, *dst_table);
                let s = self.env.table_struct(&mut self.builder, *src_table);
                self.bulk_copy(d, s, RuntimeFn::TableCopy, Trap::TableOutOfBounds)?;
            }
            Operator::TableInit { elem_index, table } => {
                let t = self.env.table_struct(&mut self.builder, *table);
                let seg = self.env.elem_segment(&mut self.builder, *elem_index);
                self.bulk_init(t, seg, RuntimeFn::TableInit, Trap::TableOutOfBounds)?;
            }
            Operator::ElemDrop { elem_index } => {
                let seg = self.env.elem_segment(&mut self.builder, *elem_index);
                self.drop_segment(seg);
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// A `u64` element count as the table's index type.
    fn table_index_value(&mut self, table: u32, v: Value) -> Value {
        if self.env.table_is_64(table) {
            v
        } else {
            self.builder.ins().ireduce(types::I32, v)
        }
    }
}
