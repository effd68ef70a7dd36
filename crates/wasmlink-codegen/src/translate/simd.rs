//! The `v128` operators (Wasm 2.0 SIMD; relaxed SIMD is `relaxed_simd.rs`).
//!
//! A `v128` flows as an `I8X16` everywhere (stack, locals, block params,
//! calls); each operator bitcasts its operands to the lane type it works
//! on and its result back. The bitcasts are free in machine code and the
//! little-endian flag makes lane numbering match Wasm's.

use super::memory::heap_flags;
use super::Translator;
use cranelift_codegen::ir::{
    condcodes::{FloatCC, IntCC},
    types::{F32X4, F64X2, I16, I16X8, I32, I32X4, I64, I64X2, I8, I8X16},
    ConstantData, Endianness, InstBuilder, MemFlagsData, Type, Value,
};
use cranelift_frontend::FunctionBuilder;
use wasmlink_module::wasmparser::{MemArg, Operator};

/// A `v128` constant (as the canonical `I8X16`).
pub(super) fn v128_const(builder: &mut FunctionBuilder, bytes: [u8; 16]) -> Value {
    let c = builder
        .func
        .dfg
        .constants
        .insert(ConstantData::from(&bytes[..]));
    builder.ins().vconst(I8X16, c)
}

/// Reinterpret vector `v` as `ty` (lanes numbered in little-endian order).
pub(super) fn cast(builder: &mut FunctionBuilder, ty: Type, v: Value) -> Value {
    if builder.func.dfg.value_type(v) == ty {
        v
    } else {
        let flags = MemFlagsData::new().with_endianness(Endianness::Little);
        builder.ins().bitcast(ty, flags, v)
    }
}

/// How a lane is read or written by `*.load*_lane`, `*.store*_lane` and
/// the `load*_splat`/`load*_zero` forms: its scalar type and vector shape.
fn lane_access(bits: u32) -> (Type, Type) {
    match bits {
        8 => (I8, I8X16),
        16 => (I16, I16X8),
        32 => (I32, I32X4),
        _ => (I64, I64X2),
    }
}

impl Translator<'_, '_> {
    /// Pop a `v128` as a vector of type `ty`.
    fn pop_vec(&mut self, ty: Type) -> Result<Value, String> {
        let v = self.pop()?;
        Ok(cast(&mut self.builder, ty, v))
    }

    /// Push a vector of any shape as a `v128`.
    fn push_vec(&mut self, v: Value) {
        let v = cast(&mut self.builder, I8X16, v);
        self.push(v);
    }

    /// Lane-wise unary operation on shape `ty`.
    fn vunary(
        &mut self,
        ty: Type,
        f: impl FnOnce(&mut FunctionBuilder, Value) -> Value,
    ) -> Result<(), String> {
        let a = self.pop_vec(ty)?;
        let r = f(&mut self.builder, a);
        self.push_vec(r);
        Ok(())
    }

    /// Lane-wise binary operation on shape `ty`.
    fn vbinary(
        &mut self,
        ty: Type,
        f: impl FnOnce(&mut FunctionBuilder, Value, Value) -> Value,
    ) -> Result<(), String> {
        let b = self.pop_vec(ty)?;
        let a = self.pop_vec(ty)?;
        let r = f(&mut self.builder, a, b);
        self.push_vec(r);
        Ok(())
    }

    fn vicmp(&mut self, ty: Type, cc: IntCC) -> Result<(), String> {
        self.vbinary(ty, |b, x, y| b.ins().icmp(cc, x, y))
    }

    fn vfcmp(&mut self, ty: Type, cc: FloatCC) -> Result<(), String> {
        self.vbinary(ty, |b, x, y| b.ins().fcmp(cc, x, y))
    }

    /// A vector → `i32` operation (`all_true`, `bitmask`, …).
    fn vto_i32(
        &mut self,
        ty: Type,
        f: impl FnOnce(&mut FunctionBuilder, Value) -> Value,
    ) -> Result<(), String> {
        let a = self.pop_vec(ty)?;
        let r = f(&mut self.builder, a);
        let r = if self.builder.func.dfg.value_type(r) == I32 {
            r
        } else {
            self.builder.ins().uextend(I32, r)
        };
        self.push(r);
        Ok(())
    }

    /// Shift every lane of shape `ty` by the `i32` on top of the stack
    /// (Cranelift, like Wasm, takes the amount modulo the lane width).
    fn vshift(
        &mut self,
        ty: Type,
        f: impl FnOnce(&mut FunctionBuilder, Value, Value) -> Value,
    ) -> Result<(), String> {
        let amount = self.pop()?;
        let a = self.pop_vec(ty)?;
        let r = f(&mut self.builder, a, amount);
        self.push_vec(r);
        Ok(())
    }

    /// `splat` of a scalar `i32`/`i64`/`f32`/`f64` to shape `ty`.
    fn vsplat(&mut self, ty: Type) -> Result<(), String> {
        let x = self.pop()?;
        let x = self.scalar_to_lane(x, ty.lane_type());
        let r = self.builder.ins().splat(ty, x);
        self.push_vec(r);
        Ok(())
    }

    /// An `i32` operand narrowed to an `i8`/`i16` lane; other types as is.
    fn scalar_to_lane(&mut self, x: Value, lane: Type) -> Value {
        if lane == I8 || lane == I16 {
            self.builder.ins().ireduce(lane, x)
        } else {
            x
        }
    }

    fn extract_lane(&mut self, ty: Type, lane: u8, ext: Option<bool>) -> Result<(), String> {
        let v = self.pop_vec(ty)?;
        let x = self.builder.ins().extractlane(v, lane);
        let x = match ext {
            Some(true) => self.builder.ins().sextend(I32, x),
            Some(false) => self.builder.ins().uextend(I32, x),
            None => x,
        };
        self.push(x);
        Ok(())
    }

    fn replace_lane(&mut self, ty: Type, lane: u8) -> Result<(), String> {
        let x = self.pop()?;
        let v = self.pop_vec(ty)?;
        let x = self.scalar_to_lane(x, ty.lane_type());
        let r = self.builder.ins().insertlane(v, x, lane);
        self.push_vec(r);
        Ok(())
    }

    // ---- memory ----

    /// Address operands for an access of `size` bytes at the popped address.
    fn vec_addr(&mut self, memarg: &MemArg, size: u32) -> Result<(Value, i32), String> {
        let addr = self.pop()?;
        self.heap_addr(memarg, addr, size)
    }

    /// `v128.loadNxM_{s,u}`: 8 bytes widened to 16.
    fn load_extend(
        &mut self,
        memarg: &MemArg,
        load: impl FnOnce(&mut FunctionBuilder, MemFlagsData, Value, i32) -> Value,
    ) -> Result<(), String> {
        let (ptr, off) = self.vec_addr(memarg, 8)?;
        let r = load(&mut self.builder, heap_flags(), ptr, off);
        self.push_vec(r);
        Ok(())
    }

    fn load_splat(&mut self, memarg: &MemArg, bits: u32) -> Result<(), String> {
        let (scalar, shape) = lane_access(bits);
        let (ptr, off) = self.vec_addr(memarg, bits / 8)?;
        let x = self.builder.ins().load(scalar, heap_flags(), ptr, off);
        let r = self.builder.ins().splat(shape, x);
        self.push_vec(r);
        Ok(())
    }

    fn load_zero(&mut self, memarg: &MemArg, bits: u32) -> Result<(), String> {
        let (scalar, shape) = lane_access(bits);
        let (ptr, off) = self.vec_addr(memarg, bits / 8)?;
        let x = self.builder.ins().load(scalar, heap_flags(), ptr, off);
        // scalar_to_vector zeroes the other lanes.
        let r = self.builder.ins().scalar_to_vector(shape, x);
        self.push_vec(r);
        Ok(())
    }

    fn load_lane(&mut self, memarg: &MemArg, lane: u8, bits: u32) -> Result<(), String> {
        let (scalar, shape) = lane_access(bits);
        let v = self.pop_vec(shape)?;
        let (ptr, off) = self.vec_addr(memarg, bits / 8)?;
        let x = self.builder.ins().load(scalar, heap_flags(), ptr, off);
        let r = self.builder.ins().insertlane(v, x, lane);
        self.push_vec(r);
        Ok(())
    }

    fn store_lane(&mut self, memarg: &MemArg, lane: u8, bits: u32) -> Result<(), String> {
        let (_, shape) = lane_access(bits);
        let v = self.pop_vec(shape)?;
        let (ptr, off) = self.vec_addr(memarg, bits / 8)?;
        let x = self.builder.ins().extractlane(v, lane);
        self.builder.ins().store(heap_flags(), x, ptr, off);
        Ok(())
    }

    pub(super) fn translate_simd(&mut self, op: &Operator<'_>) -> Result<bool, String> {
        use Operator as O;
        match op {
            // ---- memory ----
            O::V128Load { memarg } => {
                let (ptr, off) = self.vec_addr(memarg, 16)?;
                let v = self.builder.ins().load(I8X16, heap_flags(), ptr, off);
                self.push(v);
            }
            O::V128Store { memarg } => {
                let v = self.pop_vec(I8X16)?;
                let (ptr, off) = self.vec_addr(memarg, 16)?;
                self.builder.ins().store(heap_flags(), v, ptr, off);
            }
            O::V128Load8x8S { memarg } => {
                self.load_extend(memarg, |b, f, p, o| b.ins().sload8x8(f, p, o))?
            }
            O::V128Load8x8U { memarg } => {
                self.load_extend(memarg, |b, f, p, o| b.ins().uload8x8(f, p, o))?
            }
            O::V128Load16x4S { memarg } => {
                self.load_extend(memarg, |b, f, p, o| b.ins().sload16x4(f, p, o))?
            }
            O::V128Load16x4U { memarg } => {
                self.load_extend(memarg, |b, f, p, o| b.ins().uload16x4(f, p, o))?
            }
            O::V128Load32x2S { memarg } => {
                self.load_extend(memarg, |b, f, p, o| b.ins().sload32x2(f, p, o))?
            }
            O::V128Load32x2U { memarg } => {
                self.load_extend(memarg, |b, f, p, o| b.ins().uload32x2(f, p, o))?
            }
            O::V128Load8Splat { memarg } => self.load_splat(memarg, 8)?,
            O::V128Load16Splat { memarg } => self.load_splat(memarg, 16)?,
            O::V128Load32Splat { memarg } => self.load_splat(memarg, 32)?,
            O::V128Load64Splat { memarg } => self.load_splat(memarg, 64)?,
            O::V128Load32Zero { memarg } => self.load_zero(memarg, 32)?,
            O::V128Load64Zero { memarg } => self.load_zero(memarg, 64)?,
            O::V128Load8Lane { memarg, lane } => self.load_lane(memarg, *lane, 8)?,
            O::V128Load16Lane { memarg, lane } => self.load_lane(memarg, *lane, 16)?,
            O::V128Load32Lane { memarg, lane } => self.load_lane(memarg, *lane, 32)?,
            O::V128Load64Lane { memarg, lane } => self.load_lane(memarg, *lane, 64)?,
            O::V128Store8Lane { memarg, lane } => self.store_lane(memarg, *lane, 8)?,
            O::V128Store16Lane { memarg, lane } => self.store_lane(memarg, *lane, 16)?,
            O::V128Store32Lane { memarg, lane } => self.store_lane(memarg, *lane, 32)?,
            O::V128Store64Lane { memarg, lane } => self.store_lane(memarg, *lane, 64)?,

            // ---- constants, shuffles, lanes ----
            O::V128Const { value } => {
                let v = v128_const(&mut self.builder, *value.bytes());
                self.push(v);
            }
            O::I8x16Shuffle { lanes } => {
                let b = self.pop_vec(I8X16)?;
                let a = self.pop_vec(I8X16)?;
                let mask = self
                    .builder
                    .func
                    .dfg
                    .immediates
                    .push(ConstantData::from(&lanes[..]));
                let r = self.builder.ins().shuffle(a, b, mask);
                self.push(r);
            }
            // Cranelift's swizzle, like Wasm's, yields 0 for indices >= 16.
            O::I8x16Swizzle => self.vbinary(I8X16, |b, x, y| b.ins().swizzle(x, y))?,
            O::I8x16Splat => self.vsplat(I8X16)?,
            O::I16x8Splat => self.vsplat(I16X8)?,
            O::I32x4Splat => self.vsplat(I32X4)?,
            O::I64x2Splat => self.vsplat(I64X2)?,
            O::F32x4Splat => self.vsplat(F32X4)?,
            O::F64x2Splat => self.vsplat(F64X2)?,
            O::I8x16ExtractLaneS { lane } => self.extract_lane(I8X16, *lane, Some(true))?,
            O::I8x16ExtractLaneU { lane } => self.extract_lane(I8X16, *lane, Some(false))?,
            O::I16x8ExtractLaneS { lane } => self.extract_lane(I16X8, *lane, Some(true))?,
            O::I16x8ExtractLaneU { lane } => self.extract_lane(I16X8, *lane, Some(false))?,
            O::I32x4ExtractLane { lane } => self.extract_lane(I32X4, *lane, None)?,
            O::I64x2ExtractLane { lane } => self.extract_lane(I64X2, *lane, None)?,
            O::F32x4ExtractLane { lane } => self.extract_lane(F32X4, *lane, None)?,
            O::F64x2ExtractLane { lane } => self.extract_lane(F64X2, *lane, None)?,
            O::I8x16ReplaceLane { lane } => self.replace_lane(I8X16, *lane)?,
            O::I16x8ReplaceLane { lane } => self.replace_lane(I16X8, *lane)?,
            O::I32x4ReplaceLane { lane } => self.replace_lane(I32X4, *lane)?,
            O::I64x2ReplaceLane { lane } => self.replace_lane(I64X2, *lane)?,
            O::F32x4ReplaceLane { lane } => self.replace_lane(F32X4, *lane)?,
            O::F64x2ReplaceLane { lane } => self.replace_lane(F64X2, *lane)?,

            // ---- bitwise ----
            O::V128Not => self.vunary(I8X16, |b, a| b.ins().bnot(a))?,
            O::V128And => self.vbinary(I8X16, |b, x, y| b.ins().band(x, y))?,
            O::V128AndNot => self.vbinary(I8X16, |b, x, y| b.ins().band_not(x, y))?,
            O::V128Or => self.vbinary(I8X16, |b, x, y| b.ins().bor(x, y))?,
            O::V128Xor => self.vbinary(I8X16, |b, x, y| b.ins().bxor(x, y))?,
            O::V128Bitselect => {
                let c = self.pop_vec(I8X16)?;
                let (x, y) = self.pop2()?;
                let r = self.builder.ins().bitselect(c, x, y);
                self.push(r);
            }
            O::V128AnyTrue => self.vto_i32(I8X16, |b, a| b.ins().vany_true(a))?,

            _ => return self.translate_simd_lanes(op),
        }
        Ok(true)
    }

    /// Integer and float lane arithmetic, comparisons and conversions.
    fn translate_simd_lanes(&mut self, op: &Operator<'_>) -> Result<bool, String> {
        use Operator as O;
        match op {
            // ---- integer comparisons ----
            O::I8x16Eq => self.vicmp(I8X16, IntCC::Equal)?,
            O::I8x16Ne => self.vicmp(I8X16, IntCC::NotEqual)?,
            O::I8x16LtS => self.vicmp(I8X16, IntCC::SignedLessThan)?,
            O::I8x16LtU => self.vicmp(I8X16, IntCC::UnsignedLessThan)?,
            O::I8x16GtS => self.vicmp(I8X16, IntCC::SignedGreaterThan)?,
            O::I8x16GtU => self.vicmp(I8X16, IntCC::UnsignedGreaterThan)?,
            O::I8x16LeS => self.vicmp(I8X16, IntCC::SignedLessThanOrEqual)?,
            O::I8x16LeU => self.vicmp(I8X16, IntCC::UnsignedLessThanOrEqual)?,
            O::I8x16GeS => self.vicmp(I8X16, IntCC::SignedGreaterThanOrEqual)?,
            O::I8x16GeU => self.vicmp(I8X16, IntCC::UnsignedGreaterThanOrEqual)?,
            O::I16x8Eq => self.vicmp(I16X8, IntCC::Equal)?,
            O::I16x8Ne => self.vicmp(I16X8, IntCC::NotEqual)?,
            O::I16x8LtS => self.vicmp(I16X8, IntCC::SignedLessThan)?,
            O::I16x8LtU => self.vicmp(I16X8, IntCC::UnsignedLessThan)?,
            O::I16x8GtS => self.vicmp(I16X8, IntCC::SignedGreaterThan)?,
            O::I16x8GtU => self.vicmp(I16X8, IntCC::UnsignedGreaterThan)?,
            O::I16x8LeS => self.vicmp(I16X8, IntCC::SignedLessThanOrEqual)?,
            O::I16x8LeU => self.vicmp(I16X8, IntCC::UnsignedLessThanOrEqual)?,
            O::I16x8GeS => self.vicmp(I16X8, IntCC::SignedGreaterThanOrEqual)?,
            O::I16x8GeU => self.vicmp(I16X8, IntCC::UnsignedGreaterThanOrEqual)?,
            O::I32x4Eq => self.vicmp(I32X4, IntCC::Equal)?,
            O::I32x4Ne => self.vicmp(I32X4, IntCC::NotEqual)?,
            O::I32x4LtS => self.vicmp(I32X4, IntCC::SignedLessThan)?,
            O::I32x4LtU => self.vicmp(I32X4, IntCC::UnsignedLessThan)?,
            O::I32x4GtS => self.vicmp(I32X4, IntCC::SignedGreaterThan)?,
            O::I32x4GtU => self.vicmp(I32X4, IntCC::UnsignedGreaterThan)?,
            O::I32x4LeS => self.vicmp(I32X4, IntCC::SignedLessThanOrEqual)?,
            O::I32x4LeU => self.vicmp(I32X4, IntCC::UnsignedLessThanOrEqual)?,
            O::I32x4GeS => self.vicmp(I32X4, IntCC::SignedGreaterThanOrEqual)?,
            O::I32x4GeU => self.vicmp(I32X4, IntCC::UnsignedGreaterThanOrEqual)?,
            O::I64x2Eq => self.vicmp(I64X2, IntCC::Equal)?,
            O::I64x2Ne => self.vicmp(I64X2, IntCC::NotEqual)?,
            O::I64x2LtS => self.vicmp(I64X2, IntCC::SignedLessThan)?,
            O::I64x2GtS => self.vicmp(I64X2, IntCC::SignedGreaterThan)?,
            O::I64x2LeS => self.vicmp(I64X2, IntCC::SignedLessThanOrEqual)?,
            O::I64x2GeS => self.vicmp(I64X2, IntCC::SignedGreaterThanOrEqual)?,

            // ---- float comparisons ----
            O::F32x4Eq => self.vfcmp(F32X4, FloatCC::Equal)?,
            O::F32x4Ne => self.vfcmp(F32X4, FloatCC::NotEqual)?,
            O::F32x4Lt => self.vfcmp(F32X4, FloatCC::LessThan)?,
            O::F32x4Gt => self.vfcmp(F32X4, FloatCC::GreaterThan)?,
            O::F32x4Le => self.vfcmp(F32X4, FloatCC::LessThanOrEqual)?,
            O::F32x4Ge => self.vfcmp(F32X4, FloatCC::GreaterThanOrEqual)?,
            O::F64x2Eq => self.vfcmp(F64X2, FloatCC::Equal)?,
            O::F64x2Ne => self.vfcmp(F64X2, FloatCC::NotEqual)?,
            O::F64x2Lt => self.vfcmp(F64X2, FloatCC::LessThan)?,
            O::F64x2Gt => self.vfcmp(F64X2, FloatCC::GreaterThan)?,
            O::F64x2Le => self.vfcmp(F64X2, FloatCC::LessThanOrEqual)?,
            O::F64x2Ge => self.vfcmp(F64X2, FloatCC::GreaterThanOrEqual)?,

            // ---- lane-wise integer arithmetic ----
            O::I8x16Abs => self.vunary(I8X16, |b, a| b.ins().iabs(a))?,
            O::I16x8Abs => self.vunary(I16X8, |b, a| b.ins().iabs(a))?,
            O::I32x4Abs => self.vunary(I32X4, |b, a| b.ins().iabs(a))?,
            O::I64x2Abs => self.vunary(I64X2, |b, a| b.ins().iabs(a))?,
            O::I8x16Neg => self.vunary(I8X16, |b, a| b.ins().ineg(a))?,
            O::I16x8Neg => self.vunary(I16X8, |b, a| b.ins().ineg(a))?,
            O::I32x4Neg => self.vunary(I32X4, |b, a| b.ins().ineg(a))?,
            O::I64x2Neg => self.vunary(I64X2, |b, a| b.ins().ineg(a))?,
            O::I8x16Popcnt => self.vunary(I8X16, |b, a| b.ins().popcnt(a))?,
            O::I8x16AllTrue => self.vto_i32(I8X16, |b, a| b.ins().vall_true(a))?,
            O::I16x8AllTrue => self.vto_i32(I16X8, |b, a| b.ins().vall_true(a))?,
            O::I32x4AllTrue => self.vto_i32(I32X4, |b, a| b.ins().vall_true(a))?,
            O::I64x2AllTrue => self.vto_i32(I64X2, |b, a| b.ins().vall_true(a))?,
            O::I8x16Bitmask => self.vto_i32(I8X16, |b, a| b.ins().vhigh_bits(I32, a))?,
            O::I16x8Bitmask => self.vto_i32(I16X8, |b, a| b.ins().vhigh_bits(I32, a))?,
            O::I32x4Bitmask => self.vto_i32(I32X4, |b, a| b.ins().vhigh_bits(I32, a))?,
            O::I64x2Bitmask => self.vto_i32(I64X2, |b, a| b.ins().vhigh_bits(I32, a))?,

            O::I8x16Shl => self.vshift(I8X16, |b, x, s| b.ins().ishl(x, s))?,
            O::I8x16ShrS => self.vshift(I8X16, |b, x, s| b.ins().sshr(x, s))?,
            O::I8x16ShrU => self.vshift(I8X16, |b, x, s| b.ins().ushr(x, s))?,
            O::I16x8Shl => self.vshift(I16X8, |b, x, s| b.ins().ishl(x, s))?,
            O::I16x8ShrS => self.vshift(I16X8, |b, x, s| b.ins().sshr(x, s))?,
            O::I16x8ShrU => self.vshift(I16X8, |b, x, s| b.ins().ushr(x, s))?,
            O::I32x4Shl => self.vshift(I32X4, |b, x, s| b.ins().ishl(x, s))?,
            O::I32x4ShrS => self.vshift(I32X4, |b, x, s| b.ins().sshr(x, s))?,
            O::I32x4ShrU => self.vshift(I32X4, |b, x, s| b.ins().ushr(x, s))?,
            O::I64x2Shl => self.vshift(I64X2, |b, x, s| b.ins().ishl(x, s))?,
            O::I64x2ShrS => self.vshift(I64X2, |b, x, s| b.ins().sshr(x, s))?,
            O::I64x2ShrU => self.vshift(I64X2, |b, x, s| b.ins().ushr(x, s))?,

            O::I8x16Add => self.vbinary(I8X16, |b, x, y| b.ins().iadd(x, y))?,
            O::I16x8Add => self.vbinary(I16X8, |b, x, y| b.ins().iadd(x, y))?,
            O::I32x4Add => self.vbinary(I32X4, |b, x, y| b.ins().iadd(x, y))?,
            O::I64x2Add => self.vbinary(I64X2, |b, x, y| b.ins().iadd(x, y))?,
            O::I8x16Sub => self.vbinary(I8X16, |b, x, y| b.ins().isub(x, y))?,
            O::I16x8Sub => self.vbinary(I16X8, |b, x, y| b.ins().isub(x, y))?,
            O::I32x4Sub => self.vbinary(I32X4, |b, x, y| b.ins().isub(x, y))?,
            O::I64x2Sub => self.vbinary(I64X2, |b, x, y| b.ins().isub(x, y))?,
            O::I16x8Mul => self.vbinary(I16X8, |b, x, y| b.ins().imul(x, y))?,
            O::I32x4Mul => self.vbinary(I32X4, |b, x, y| b.ins().imul(x, y))?,
            O::I64x2Mul => self.vbinary(I64X2, |b, x, y| b.ins().imul(x, y))?,
            O::I8x16AddSatS => self.vbinary(I8X16, |b, x, y| b.ins().sadd_sat(x, y))?,
            O::I16x8AddSatS => self.vbinary(I16X8, |b, x, y| b.ins().sadd_sat(x, y))?,
            O::I8x16AddSatU => self.vbinary(I8X16, |b, x, y| b.ins().uadd_sat(x, y))?,
            O::I16x8AddSatU => self.vbinary(I16X8, |b, x, y| b.ins().uadd_sat(x, y))?,
            O::I8x16SubSatS => self.vbinary(I8X16, |b, x, y| b.ins().ssub_sat(x, y))?,
            O::I16x8SubSatS => self.vbinary(I16X8, |b, x, y| b.ins().ssub_sat(x, y))?,
            O::I8x16SubSatU => self.vbinary(I8X16, |b, x, y| b.ins().usub_sat(x, y))?,
            O::I16x8SubSatU => self.vbinary(I16X8, |b, x, y| b.ins().usub_sat(x, y))?,
            O::I8x16MinS => self.vbinary(I8X16, |b, x, y| b.ins().smin(x, y))?,
            O::I16x8MinS => self.vbinary(I16X8, |b, x, y| b.ins().smin(x, y))?,
            O::I32x4MinS => self.vbinary(I32X4, |b, x, y| b.ins().smin(x, y))?,
            O::I8x16MinU => self.vbinary(I8X16, |b, x, y| b.ins().umin(x, y))?,
            O::I16x8MinU => self.vbinary(I16X8, |b, x, y| b.ins().umin(x, y))?,
            O::I32x4MinU => self.vbinary(I32X4, |b, x, y| b.ins().umin(x, y))?,
            O::I8x16MaxS => self.vbinary(I8X16, |b, x, y| b.ins().smax(x, y))?,
            O::I16x8MaxS => self.vbinary(I16X8, |b, x, y| b.ins().smax(x, y))?,
            O::I32x4MaxS => self.vbinary(I32X4, |b, x, y| b.ins().smax(x, y))?,
            O::I8x16MaxU => self.vbinary(I8X16, |b, x, y| b.ins().umax(x, y))?,
            O::I16x8MaxU => self.vbinary(I16X8, |b, x, y| b.ins().umax(x, y))?,
            O::I32x4MaxU => self.vbinary(I32X4, |b, x, y| b.ins().umax(x, y))?,
            O::I8x16AvgrU => self.vbinary(I8X16, |b, x, y| b.ins().avg_round(x, y))?,
            O::I16x8AvgrU => self.vbinary(I16X8, |b, x, y| b.ins().avg_round(x, y))?,
            O::I16x8Q15MulrSatS => self.vbinary(I16X8, |b, x, y| b.ins().sqmul_round_sat(x, y))?,

            _ => return self.translate_simd_widening(op),
        }
        Ok(true)
    }

    /// Narrowing, widening and the float lane operators.
    fn translate_simd_widening(&mut self, op: &Operator<'_>) -> Result<bool, String> {
        use Operator as O;
        match op {
            // ---- narrow / extend ----
            // `unarrow` reads signed lanes and saturates to the unsigned
            // range, which is what Wasm's `narrow_*_u` does.
            O::I8x16NarrowI16x8S => self.vbinary(I16X8, |b, x, y| b.ins().snarrow(x, y))?,
            O::I8x16NarrowI16x8U => self.vbinary(I16X8, |b, x, y| b.ins().unarrow(x, y))?,
            O::I16x8NarrowI32x4S => self.vbinary(I32X4, |b, x, y| b.ins().snarrow(x, y))?,
            O::I16x8NarrowI32x4U => self.vbinary(I32X4, |b, x, y| b.ins().unarrow(x, y))?,
            O::I16x8ExtendLowI8x16S => self.vunary(I8X16, |b, a| b.ins().swiden_low(a))?,
            O::I16x8ExtendHighI8x16S => self.vunary(I8X16, |b, a| b.ins().swiden_high(a))?,
            O::I16x8ExtendLowI8x16U => self.vunary(I8X16, |b, a| b.ins().uwiden_low(a))?,
            O::I16x8ExtendHighI8x16U => self.vunary(I8X16, |b, a| b.ins().uwiden_high(a))?,
            O::I32x4ExtendLowI16x8S => self.vunary(I16X8, |b, a| b.ins().swiden_low(a))?,
            O::I32x4ExtendHighI16x8S => self.vunary(I16X8, |b, a| b.ins().swiden_high(a))?,
            O::I32x4ExtendLowI16x8U => self.vunary(I16X8, |b, a| b.ins().uwiden_low(a))?,
            O::I32x4ExtendHighI16x8U => self.vunary(I16X8, |b, a| b.ins().uwiden_high(a))?,
            O::I64x2ExtendLowI32x4S => self.vunary(I32X4, |b, a| b.ins().swiden_low(a))?,
            O::I64x2ExtendHighI32x4S => self.vunary(I32X4, |b, a| b.ins().swiden_high(a))?,
            O::I64x2ExtendLowI32x4U => self.vunary(I32X4, |b, a| b.ins().uwiden_low(a))?,
            O::I64x2ExtendHighI32x4U => self.vunary(I32X4, |b, a| b.ins().uwiden_high(a))?,

            // ---- extended multiplication and pairwise addition ----
            O::I16x8ExtMulLowI8x16S => self.ext_mul(I8X16, Widen::Low, true)?,
            O::I16x8ExtMulHighI8x16S => self.ext_mul(I8X16, Widen::High, true)?,
            O::I16x8ExtMulLowI8x16U => self.ext_mul(I8X16, Widen::Low, false)?,
            O::I16x8ExtMulHighI8x16U => self.ext_mul(I8X16, Widen::High, false)?,
            O::I32x4ExtMulLowI16x8S => self.ext_mul(I16X8, Widen::Low, true)?,
            O::I32x4ExtMulHighI16x8S => self.ext_mul(I16X8, Widen::High, true)?,
            O::I32x4ExtMulLowI16x8U => self.ext_mul(I16X8, Widen::Low, false)?,
            O::I32x4ExtMulHighI16x8U => self.ext_mul(I16X8, Widen::High, false)?,
            O::I64x2ExtMulLowI32x4S => self.ext_mul(I32X4, Widen::Low, true)?,
            O::I64x2ExtMulHighI32x4S => self.ext_mul(I32X4, Widen::High, true)?,
            O::I64x2ExtMulLowI32x4U => self.ext_mul(I32X4, Widen::Low, false)?,
            O::I64x2ExtMulHighI32x4U => self.ext_mul(I32X4, Widen::High, false)?,
            // Widening both halves and adding neighbours pairwise is
            // exactly "add adjacent lanes into a double-width lane".
            O::I16x8ExtAddPairwiseI8x16S => self.ext_add_pairwise(I8X16, true)?,
            O::I16x8ExtAddPairwiseI8x16U => self.ext_add_pairwise(I8X16, false)?,
            O::I32x4ExtAddPairwiseI16x8S => self.ext_add_pairwise(I16X8, true)?,
            O::I32x4ExtAddPairwiseI16x8U => self.ext_add_pairwise(I16X8, false)?,
            O::I32x4DotI16x8S => self.vbinary(I16X8, widening_dot)?,

            // ---- float arithmetic ----
            O::F32x4Ceil => self.vunary(F32X4, |b, a| b.ins().ceil(a))?,
            O::F32x4Floor => self.vunary(F32X4, |b, a| b.ins().floor(a))?,
            O::F32x4Trunc => self.vunary(F32X4, |b, a| b.ins().trunc(a))?,
            O::F32x4Nearest => self.vunary(F32X4, |b, a| b.ins().nearest(a))?,
            O::F32x4Abs => self.vunary(F32X4, |b, a| b.ins().fabs(a))?,
            O::F32x4Neg => self.vunary(F32X4, |b, a| b.ins().fneg(a))?,
            O::F32x4Sqrt => self.vunary(F32X4, |b, a| b.ins().sqrt(a))?,
            O::F32x4Add => self.vbinary(F32X4, |b, x, y| b.ins().fadd(x, y))?,
            O::F32x4Sub => self.vbinary(F32X4, |b, x, y| b.ins().fsub(x, y))?,
            O::F32x4Mul => self.vbinary(F32X4, |b, x, y| b.ins().fmul(x, y))?,
            O::F32x4Div => self.vbinary(F32X4, |b, x, y| b.ins().fdiv(x, y))?,
            O::F32x4Min => self.vbinary(F32X4, |b, x, y| b.ins().fmin(x, y))?,
            O::F32x4Max => self.vbinary(F32X4, |b, x, y| b.ins().fmax(x, y))?,
            O::F64x2Ceil => self.vunary(F64X2, |b, a| b.ins().ceil(a))?,
            O::F64x2Floor => self.vunary(F64X2, |b, a| b.ins().floor(a))?,
            O::F64x2Trunc => self.vunary(F64X2, |b, a| b.ins().trunc(a))?,
            O::F64x2Nearest => self.vunary(F64X2, |b, a| b.ins().nearest(a))?,
            O::F64x2Abs => self.vunary(F64X2, |b, a| b.ins().fabs(a))?,
            O::F64x2Neg => self.vunary(F64X2, |b, a| b.ins().fneg(a))?,
            O::F64x2Sqrt => self.vunary(F64X2, |b, a| b.ins().sqrt(a))?,
            O::F64x2Add => self.vbinary(F64X2, |b, x, y| b.ins().fadd(x, y))?,
            O::F64x2Sub => self.vbinary(F64X2, |b, x, y| b.ins().fsub(x, y))?,
            O::F64x2Mul => self.vbinary(F64X2, |b, x, y| b.ins().fmul(x, y))?,
            O::F64x2Div => self.vbinary(F64X2, |b, x, y| b.ins().fdiv(x, y))?,
            O::F64x2Min => self.vbinary(F64X2, |b, x, y| b.ins().fmin(x, y))?,
            O::F64x2Max => self.vbinary(F64X2, |b, x, y| b.ins().fmax(x, y))?,
            // Pseudo-min/max are defined by a plain comparison, with no
            // NaN or signed-zero special cases: pmin = b < a ? b : a and
            // pmax = a < b ? b : a.
            O::F32x4PMin => self.pseudo_min_max(F32X4, true)?,
            O::F64x2PMin => self.pseudo_min_max(F64X2, true)?,
            O::F32x4PMax => self.pseudo_min_max(F32X4, false)?,
            O::F64x2PMax => self.pseudo_min_max(F64X2, false)?,

            // ---- conversions ----
            O::I32x4TruncSatF32x4S => {
                self.vunary(F32X4, |b, a| b.ins().fcvt_to_sint_sat(I32X4, a))?
            }
            O::I32x4TruncSatF32x4U => {
                self.vunary(F32X4, |b, a| b.ins().fcvt_to_uint_sat(I32X4, a))?
            }
            O::F32x4ConvertI32x4S => self.vunary(I32X4, |b, a| b.ins().fcvt_from_sint(F32X4, a))?,
            O::F32x4ConvertI32x4U => self.vunary(I32X4, |b, a| b.ins().fcvt_from_uint(F32X4, a))?,
            // Convert to two saturated i64 lanes, then narrow them (they
            // already fit) next to two zero lanes.
            O::I32x4TruncSatF64x2SZero => self.vunary(F64X2, |b, a| {
                let wide = b.ins().fcvt_to_sint_sat(I64X2, a);
                let zero = zero_vec(b, I64X2);
                b.ins().snarrow(wide, zero)
            })?,
            O::I32x4TruncSatF64x2UZero => self.vunary(F64X2, |b, a| {
                let wide = b.ins().fcvt_to_uint_sat(I64X2, a);
                let zero = zero_vec(b, I64X2);
                b.ins().uunarrow(wide, zero)
            })?,
            O::F64x2ConvertLowI32x4S => self.vunary(I32X4, |b, a| {
                let wide = b.ins().swiden_low(a);
                b.ins().fcvt_from_sint(F64X2, wide)
            })?,
            O::F64x2ConvertLowI32x4U => self.vunary(I32X4, |b, a| {
                let wide = b.ins().uwiden_low(a);
                b.ins().fcvt_from_uint(F64X2, wide)
            })?,
            O::F32x4DemoteF64x2Zero => self.vunary(F64X2, |b, a| b.ins().fvdemote(a))?,
            O::F64x2PromoteLowF32x4 => self.vunary(F32X4, |b, a| b.ins().fvpromote_low(a))?,
            _ => return self.translate_relaxed_simd(op),
        }
        Ok(true)
    }

    /// `extmul_{low,high}`: widen the chosen half of both operands (of
    /// shape `ty`) and multiply in the wide shape, which cannot overflow.
    fn ext_mul(&mut self, ty: Type, half: Widen, signed: bool) -> Result<(), String> {
        self.vbinary(ty, |b, x, y| {
            let x = widen(b, x, half, signed);
            let y = widen(b, y, half, signed);
            b.ins().imul(x, y)
        })
    }

    fn pseudo_min_max(&mut self, ty: Type, min: bool) -> Result<(), String> {
        self.vbinary(ty, |b, x, y| {
            let c = if min {
                b.ins().fcmp(FloatCC::LessThan, y, x)
            } else {
                b.ins().fcmp(FloatCC::LessThan, x, y)
            };
            // The x64 backend turns exactly this shape into minp*/maxp*.
            let c = cast(b, ty, c);
            b.ins().bitselect(c, y, x)
        })
    }

    fn ext_add_pairwise(&mut self, ty: Type, signed: bool) -> Result<(), String> {
        self.vunary(ty, |b, a| {
            let lo = widen(b, a, Widen::Low, signed);
            let hi = widen(b, a, Widen::High, signed);
            b.ins().iadd_pairwise(lo, hi)
        })
    }
}

/// Signed products of the lanes of `x` and `y` in double-width lanes,
/// neighbouring products added (wrapping): `i32x4.dot_i16x8_s`, and the
/// relaxed `i8x16` dot products.
pub(super) fn widening_dot(b: &mut FunctionBuilder, x: Value, y: Value) -> Value {
    let lo = {
        let (xl, yl) = (b.ins().swiden_low(x), b.ins().swiden_low(y));
        b.ins().imul(xl, yl)
    };
    let hi = {
        let (xh, yh) = (b.ins().swiden_high(x), b.ins().swiden_high(y));
        b.ins().imul(xh, yh)
    };
    // `iadd_pairwise` of the two halves' products adds lanes 2i and 2i+1
    // of their concatenation: exactly the neighbouring products.
    b.ins().iadd_pairwise(lo, hi)
}

#[derive(Clone, Copy)]
enum Widen {
    Low,
    High,
}

fn widen(b: &mut FunctionBuilder, v: Value, half: Widen, signed: bool) -> Value {
    match (half, signed) {
        (Widen::Low, true) => b.ins().swiden_low(v),
        (Widen::High, true) => b.ins().swiden_high(v),
        (Widen::Low, false) => b.ins().uwiden_low(v),
        (Widen::High, false) => b.ins().uwiden_high(v),
    }
}

/// A zero vector of shape `ty`, as a `vconst` of that very type (the x64
/// backend only recognises the `*_zero` conversions in that form).
fn zero_vec(b: &mut FunctionBuilder, ty: Type) -> Value {
    let c = b
        .func
        .dfg
        .constants
        .insert(ConstantData::from(&[0u8; 16][..]));
    b.ins().vconst(ty, c)
}
