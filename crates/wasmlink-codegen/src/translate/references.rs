//! Reference values: `ref.null`, `ref.is_null`, `ref.func`,
//! `ref.as_non_null`.
//!
//! A funcref is a pointer to a `VMFuncRef` and an externref an opaque word;
//! both are `i64` with null represented as 0.

use super::Translator;
use cranelift_codegen::ir::{condcodes::IntCC, types, InstBuilder};
use wasmlink_module::wasmparser::Operator;

impl Translator<'_, '_> {
    pub(super) fn translate_reference(&mut self, op: &Operator<'_>) -> Result<bool, String> {
        match op {
            Operator::RefNull { .. } => {
                let v = self.builder.ins().iconst(types::I64, 0);
                self.push(v);
            }
            Operator::RefIsNull => self.unary(|b, r| {
                let is_null = b.ins().icmp_imm_u(IntCC::Equal, r, 0);
                b.ins().uextend(types::I32, is_null)
            })?,
            Operator::RefAsNonNull => {
                let r = self.pop()?;
                self.builder.ins().trapz(
                    r,
                    crate::traps::clif_trap(wasmlink_abi::Trap::NullReference),
                );
                self.push(r);
            }
            Operator::RefFunc { function_index } => {
                let v = self.env.funcref(&mut self.builder, *function_index);
                self.push(v);
            }
            _ => return Ok(false),
        }
        Ok(true)
    }
}
