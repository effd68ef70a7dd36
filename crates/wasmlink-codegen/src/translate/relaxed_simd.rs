//! The relaxed SIMD operators (Wasm 3.0), each lowered to one fixed choice
//! among the results the spec allows, so a program computes the same
//! values on every machine, in every build, whatever the thread count:
//!
//! | operator | result (the deterministic choice) |
//! | --- | --- |
//! | `i8x16.relaxed_swizzle` | as `i8x16.swizzle` (index ≥ 16 → 0) |
//! | `i32x4.relaxed_trunc_*` | as the saturating `i32x4.trunc_sat_*` |
//! | `f32x4/f64x2.relaxed_madd` | `a * b + c`, two roundings (not fused: no FMA needed) |
//! | `f32x4/f64x2.relaxed_nmadd` | `-(a * b) + c`, two roundings |
//! | `*.relaxed_laneselect` | bit by bit, as `v128.bitselect` |
//! | `f32x4/f64x2.relaxed_min/max` | as `min`/`max` (NaN-propagating, −0 < +0) |
//! | `i16x8.relaxed_q15mulr_s` | as `i16x8.q15mulr_sat_s` (saturating) |
//! | `i16x8.relaxed_dot_i8x16_i7x16_s` | both operands signed; pairwise sums wrap |
//! | `i32x4.relaxed_dot_i8x16_i7x16_add_s` | that dot, widened pairwise (signed), plus `c` |
//!
//! Those are the choices the spec's deterministic profile makes, except
//! `madd`, where it fuses; unfused keeps the result identical on machines
//! without FMA.

use super::simd::{cast, widening_dot};
use super::Translator;
use cranelift_codegen::ir::types::{F32X4, F64X2, I32X4, I8X16};
use cranelift_codegen::ir::{InstBuilder, Type, Value};
use cranelift_frontend::FunctionBuilder;
use wasmlink_module::wasmparser::Operator;

impl Translator<'_, '_> {
    /// Translate a relaxed SIMD operator; `Ok(false)` for any other.
    pub(super) fn translate_relaxed_simd(&mut self, op: &Operator<'_>) -> Result<bool, String> {
        use Operator as O;
        match op {
            O::I8x16RelaxedSwizzle => {
                self.translate_simd(&O::I8x16Swizzle)?;
            }
            O::I32x4RelaxedTruncF32x4S => {
                self.translate_simd(&O::I32x4TruncSatF32x4S)?;
            }
            O::I32x4RelaxedTruncF32x4U => {
                self.translate_simd(&O::I32x4TruncSatF32x4U)?;
            }
            O::I32x4RelaxedTruncF64x2SZero => {
                self.translate_simd(&O::I32x4TruncSatF64x2SZero)?;
            }
            O::I32x4RelaxedTruncF64x2UZero => {
                self.translate_simd(&O::I32x4TruncSatF64x2UZero)?;
            }
            O::F32x4RelaxedMin => {
                self.translate_simd(&O::F32x4Min)?;
            }
            O::F32x4RelaxedMax => {
                self.translate_simd(&O::F32x4Max)?;
            }
            O::F64x2RelaxedMin => {
                self.translate_simd(&O::F64x2Min)?;
            }
            O::F64x2RelaxedMax => {
                self.translate_simd(&O::F64x2Max)?;
            }
            O::I16x8RelaxedQ15mulrS => {
                self.translate_simd(&O::I16x8Q15MulrSatS)?;
            }
            O::I8x16RelaxedLaneselect
            | O::I16x8RelaxedLaneselect
            | O::I32x4RelaxedLaneselect
            | O::I64x2RelaxedLaneselect => {
                self.translate_simd(&O::V128Bitselect)?;
            }
            O::F32x4RelaxedMadd => self.madd(F32X4, false)?,
            O::F32x4RelaxedNmadd => self.madd(F32X4, true)?,
            O::F64x2RelaxedMadd => self.madd(F64X2, false)?,
            O::F64x2RelaxedNmadd => self.madd(F64X2, true)?,
            O::I16x8RelaxedDotI8x16I7x16S => {
                let (a, b) = self.pop2()?;
                let r = dot_i8x16(&mut self.builder, a, b);
                self.push_v128(r);
            }
            O::I32x4RelaxedDotI8x16I7x16AddS => {
                let (a, b, c) = self.pop3()?;
                let dot = dot_i8x16(&mut self.builder, a, b);
                let lo = self.builder.ins().swiden_low(dot);
                let hi = self.builder.ins().swiden_high(dot);
                let sums = self.builder.ins().iadd_pairwise(lo, hi);
                let c = cast(&mut self.builder, I32X4, c);
                let r = self.builder.ins().iadd(sums, c);
                self.push_v128(r);
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// `a * b + c` (or `-(a * b) + c`), rounded after each step.
    fn madd(&mut self, ty: Type, negate: bool) -> Result<(), String> {
        let (a, b, c) = self.pop3()?;
        let a = cast(&mut self.builder, ty, a);
        let b = cast(&mut self.builder, ty, b);
        let c = cast(&mut self.builder, ty, c);
        let mut p = self.builder.ins().fmul(a, b);
        if negate {
            p = self.builder.ins().fneg(p);
        }
        let r = self.builder.ins().fadd(p, c);
        self.push_v128(r);
        Ok(())
    }

    fn push_v128(&mut self, v: Value) {
        let v = cast(&mut self.builder, I8X16, v);
        self.push(v);
    }
}

/// The 8 sums of adjacent signed byte products of `x` and `y` (both read
/// as signed), wrapping to 16 bits.
fn dot_i8x16(b: &mut FunctionBuilder, x: Value, y: Value) -> Value {
    let x = cast(b, I8X16, x);
    let y = cast(b, I8X16, y);
    widening_dot(b, x, y)
}
