//! Constants, integer and float arithmetic, comparisons.
//!
//! Cranelift's scalar instructions already have Wasm's semantics where it
//! matters: shift and rotate amounts are taken modulo the bit width;
//! `sdiv`/`udiv`/`urem`/`srem` trap on a zero divisor with
//! `INTEGER_DIVISION_BY_ZERO` and `sdiv` traps on `MIN / -1` with
//! `INTEGER_OVERFLOW` (the codes `wasmlink_abi::Trap` uses), while `srem`
//! returns 0 for `MIN % -1`; `fmin`/`fmax` propagate NaN and order -0.0
//! below +0.0; `nearest` rounds ties to even; `FloatCC::NotEqual` is true
//! for unordered operands.

use super::Translator;
use cranelift_codegen::ir::{
    condcodes::{FloatCC, IntCC},
    types, InstBuilder, Value,
};
use cranelift_frontend::FunctionBuilder;
use wasmlink_module::wasmparser::Operator;

/// A comparison result (`i8` 0/1) as the Wasm `i32` boolean.
fn bool_to_i32(b: &mut FunctionBuilder, cmp: Value) -> Value {
    b.ins().uextend(types::I32, cmp)
}

impl Translator<'_, '_> {
    pub(super) fn translate_numeric(&mut self, op: &Operator<'_>) -> Result<bool, String> {
        use Operator as O;
        match op {
            O::I32Const { value } => {
                let v = self.builder.ins().iconst(types::I32, i64::from(*value));
                self.push(v);
            }
            O::I64Const { value } => {
                let v = self.builder.ins().iconst(types::I64, *value);
                self.push(v);
            }
            O::F32Const { value } => {
                let v = self.builder.ins().f32const(
                    cranelift_codegen::ir::immediates::Ieee32::with_bits(value.bits()),
                );
                self.push(v);
            }
            O::F64Const { value } => {
                let v = self.builder.ins().f64const(
                    cranelift_codegen::ir::immediates::Ieee64::with_bits(value.bits()),
                );
                self.push(v);
            }

            // ---- integer comparisons ----
            O::I32Eqz | O::I64Eqz => self.unary(|b, a| {
                let c = b.ins().icmp_imm_u(IntCC::Equal, a, 0);
                bool_to_i32(b, c)
            })?,
            O::I32Eq | O::I64Eq => self.icmp(IntCC::Equal)?,
            O::I32Ne | O::I64Ne => self.icmp(IntCC::NotEqual)?,
            O::I32LtS | O::I64LtS => self.icmp(IntCC::SignedLessThan)?,
            O::I32LtU | O::I64LtU => self.icmp(IntCC::UnsignedLessThan)?,
            O::I32GtS | O::I64GtS => self.icmp(IntCC::SignedGreaterThan)?,
            O::I32GtU | O::I64GtU => self.icmp(IntCC::UnsignedGreaterThan)?,
            O::I32LeS | O::I64LeS => self.icmp(IntCC::SignedLessThanOrEqual)?,
            O::I32LeU | O::I64LeU => self.icmp(IntCC::UnsignedLessThanOrEqual)?,
            O::I32GeS | O::I64GeS => self.icmp(IntCC::SignedGreaterThanOrEqual)?,
            O::I32GeU | O::I64GeU => self.icmp(IntCC::UnsignedGreaterThanOrEqual)?,

            // ---- float comparisons ----
            O::F32Eq | O::F64Eq => self.fcmp(FloatCC::Equal)?,
            O::F32Ne | O::F64Ne => self.fcmp(FloatCC::NotEqual)?,
            O::F32Lt | O::F64Lt => self.fcmp(FloatCC::LessThan)?,
            O::F32Gt | O::F64Gt => self.fcmp(FloatCC::GreaterThan)?,
            O::F32Le | O::F64Le => self.fcmp(FloatCC::LessThanOrEqual)?,
            O::F32Ge | O::F64Ge => self.fcmp(FloatCC::GreaterThanOrEqual)?,

            // ---- integer arithmetic ----
            O::I32Clz | O::I64Clz => self.unary(|b, a| b.ins().clz(a))?,
            O::I32Ctz | O::I64Ctz => self.unary(|b, a| b.ins().ctz(a))?,
            O::I32Popcnt | O::I64Popcnt => self.unary(|b, a| b.ins().popcnt(a))?,
            O::I32Add | O::I64Add => self.binary(|b, x, y| b.ins().iadd(x, y))?,
            O::I32Sub | O::I64Sub => self.binary(|b, x, y| b.ins().isub(x, y))?,
            O::I32Mul | O::I64Mul => self.binary(|b, x, y| b.ins().imul(x, y))?,
            O::I32DivS | O::I64DivS => self.binary(|b, x, y| b.ins().sdiv(x, y))?,
            O::I32DivU | O::I64DivU => self.binary(|b, x, y| b.ins().udiv(x, y))?,
            O::I32RemS | O::I64RemS => self.binary(|b, x, y| b.ins().srem(x, y))?,
            O::I32RemU | O::I64RemU => self.binary(|b, x, y| b.ins().urem(x, y))?,
            O::I32And | O::I64And => self.binary(|b, x, y| b.ins().band(x, y))?,
            O::I32Or | O::I64Or => self.binary(|b, x, y| b.ins().bor(x, y))?,
            O::I32Xor | O::I64Xor => self.binary(|b, x, y| b.ins().bxor(x, y))?,
            O::I32Shl | O::I64Shl => self.binary(|b, x, y| b.ins().ishl(x, y))?,
            O::I32ShrS | O::I64ShrS => self.binary(|b, x, y| b.ins().sshr(x, y))?,
            O::I32ShrU | O::I64ShrU => self.binary(|b, x, y| b.ins().ushr(x, y))?,
            O::I32Rotl | O::I64Rotl => self.binary(|b, x, y| b.ins().rotl(x, y))?,
            O::I32Rotr | O::I64Rotr => self.binary(|b, x, y| b.ins().rotr(x, y))?,

            // ---- float arithmetic ----
            O::F32Abs | O::F64Abs => self.unary(|b, a| b.ins().fabs(a))?,
            O::F32Neg | O::F64Neg => self.unary(|b, a| b.ins().fneg(a))?,
            O::F32Ceil | O::F64Ceil => self.unary(|b, a| b.ins().ceil(a))?,
            O::F32Floor | O::F64Floor => self.unary(|b, a| b.ins().floor(a))?,
            O::F32Trunc | O::F64Trunc => self.unary(|b, a| b.ins().trunc(a))?,
            O::F32Nearest | O::F64Nearest => self.unary(|b, a| b.ins().nearest(a))?,
            O::F32Sqrt | O::F64Sqrt => self.unary(|b, a| b.ins().sqrt(a))?,
            O::F32Add | O::F64Add => self.binary(|b, x, y| b.ins().fadd(x, y))?,
            O::F32Sub | O::F64Sub => self.binary(|b, x, y| b.ins().fsub(x, y))?,
            O::F32Mul | O::F64Mul => self.binary(|b, x, y| b.ins().fmul(x, y))?,
            O::F32Div | O::F64Div => self.binary(|b, x, y| b.ins().fdiv(x, y))?,
            O::F32Min | O::F64Min => self.binary(|b, x, y| b.ins().fmin(x, y))?,
            O::F32Max | O::F64Max => self.binary(|b, x, y| b.ins().fmax(x, y))?,
            O::F32Copysign | O::F64Copysign => self.binary(|b, x, y| b.ins().fcopysign(x, y))?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn icmp(&mut self, cc: IntCC) -> Result<(), String> {
        self.binary(|b, x, y| {
            let c = b.ins().icmp(cc, x, y);
            bool_to_i32(b, c)
        })
    }

    fn fcmp(&mut self, cc: FloatCC) -> Result<(), String> {
        self.binary(|b, x, y| {
            let c = b.ins().fcmp(cc, x, y);
            bool_to_i32(b, c)
        })
    }
}
