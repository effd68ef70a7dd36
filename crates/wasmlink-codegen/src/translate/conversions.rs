//! Conversions between value types: wrap/extend, float ↔ int (trapping and
//! saturating), demote/promote, reinterpret, and the sign-extension ops.
//!
//! Cranelift's trapping `fcvt_to_*int` report a NaN input with
//! `BAD_CONVERSION_TO_INTEGER` and an out-of-range one with
//! `INTEGER_OVERFLOW`, exactly the two Wasm traps; the `_sat` forms have
//! Wasm's saturating semantics (NaN → 0).

use super::Translator;
use cranelift_codegen::ir::{types, InstBuilder, MemFlagsData, Type};
use wasmlink_module::wasmparser::Operator;

impl Translator<'_, '_> {
    pub(super) fn translate_conversion(&mut self, op: &Operator<'_>) -> Result<bool, String> {
        use types::{F32, F64, I16, I32, I64, I8};
        use Operator as O;
        match op {
            O::I32WrapI64 => self.unary(|b, a| b.ins().ireduce(I32, a))?,
            O::I64ExtendI32S => self.unary(|b, a| b.ins().sextend(I64, a))?,
            O::I64ExtendI32U => self.unary(|b, a| b.ins().uextend(I64, a))?,

            O::I32TruncF32S | O::I32TruncF64S => self.unary(|b, a| b.ins().fcvt_to_sint(I32, a))?,
            O::I32TruncF32U | O::I32TruncF64U => self.unary(|b, a| b.ins().fcvt_to_uint(I32, a))?,
            O::I64TruncF32S | O::I64TruncF64S => self.unary(|b, a| b.ins().fcvt_to_sint(I64, a))?,
            O::I64TruncF32U | O::I64TruncF64U => self.unary(|b, a| b.ins().fcvt_to_uint(I64, a))?,
            O::I32TruncSatF32S | O::I32TruncSatF64S => {
                self.unary(|b, a| b.ins().fcvt_to_sint_sat(I32, a))?
            }
            O::I32TruncSatF32U | O::I32TruncSatF64U => {
                self.unary(|b, a| b.ins().fcvt_to_uint_sat(I32, a))?
            }
            O::I64TruncSatF32S | O::I64TruncSatF64S => {
                self.unary(|b, a| b.ins().fcvt_to_sint_sat(I64, a))?
            }
            O::I64TruncSatF32U | O::I64TruncSatF64U => {
                self.unary(|b, a| b.ins().fcvt_to_uint_sat(I64, a))?
            }

            O::F32ConvertI32S | O::F32ConvertI64S => {
                self.unary(|b, a| b.ins().fcvt_from_sint(F32, a))?
            }
            O::F32ConvertI32U | O::F32ConvertI64U => {
                self.unary(|b, a| b.ins().fcvt_from_uint(F32, a))?
            }
            O::F64ConvertI32S | O::F64ConvertI64S => {
                self.unary(|b, a| b.ins().fcvt_from_sint(F64, a))?
            }
            O::F64ConvertI32U | O::F64ConvertI64U => {
                self.unary(|b, a| b.ins().fcvt_from_uint(F64, a))?
            }
            O::F32DemoteF64 => self.unary(|b, a| b.ins().fdemote(F32, a))?,
            O::F64PromoteF32 => self.unary(|b, a| b.ins().fpromote(F64, a))?,

            O::I32ReinterpretF32 => self.reinterpret(I32)?,
            O::I64ReinterpretF64 => self.reinterpret(I64)?,
            O::F32ReinterpretI32 => self.reinterpret(F32)?,
            O::F64ReinterpretI64 => self.reinterpret(F64)?,

            O::I32Extend8S => self.sign_extend_from(I8, I32)?,
            O::I32Extend16S => self.sign_extend_from(I16, I32)?,
            O::I64Extend8S => self.sign_extend_from(I8, I64)?,
            O::I64Extend16S => self.sign_extend_from(I16, I64)?,
            O::I64Extend32S => self.sign_extend_from(I32, I64)?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn reinterpret(&mut self, to: Type) -> Result<(), String> {
        self.unary(|b, a| b.ins().bitcast(to, MemFlagsData::new(), a))
    }

    /// Sign-extend the low `from` bits of the top of the stack (of type `ty`).
    fn sign_extend_from(&mut self, from: Type, ty: Type) -> Result<(), String> {
        self.unary(|b, a| {
            let narrow = b.ins().ireduce(from, a);
            b.ins().sextend(ty, narrow)
        })
    }
}
