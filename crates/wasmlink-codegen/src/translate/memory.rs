//! Linear memory: loads, stores, `memory.size`/`grow` and the bulk memory
//! operators.
//!
//! 32-bit memories are reserved with a 4 GiB guard region after their 4 GiB
//! maximum, so `base + zext(addr) + offset` (both at most 4 GiB - 1) always
//! lands in reserved address space: accesses carry no explicit check and a
//! fault in the guard is reported through the access's trap code. 64-bit
//! memories have no such guard and get an explicit bounds check.

use super::{to_u64, Translator};
use crate::traps::clif_trap;
use cranelift_codegen::ir::{
    condcodes::IntCC, types, Endianness, InstBuilder, MemFlagsData, Type, Value,
};
use wasmlink_abi::{RuntimeFn, Trap};
use wasmlink_module::wasmparser::{MemArg, MemArgTarget, Operator};

/// Flags of a Wasm heap access: little-endian, possibly unaligned, and a
/// fault means "out of bounds memory access".
pub(super) fn heap_flags() -> MemFlagsData {
    MemFlagsData::new()
        .with_endianness(Endianness::Little)
        .with_trap_code(Some(clif_trap(Trap::MemoryOutOfBounds)))
}

/// How a scalar load widens what it reads.
#[derive(Clone, Copy)]
enum Ext {
    None,
    S8,
    U8,
    S16,
    U16,
    S32,
    U32,
}

impl Translator<'_, '_> {
    pub(super) fn translate_memory(&mut self, op: &Operator<'_>) -> Result<bool, String> {
        use types::{F32, F64, I32, I64};
        match op {
            Operator::I32Load { memarg } => self.load(memarg, I32, Ext::None)?,
            Operator::I64Load { memarg } => self.load(memarg, I64, Ext::None)?,
            Operator::F32Load { memarg } => self.load(memarg, F32, Ext::None)?,
            Operator::F64Load { memarg } => self.load(memarg, F64, Ext::None)?,
            Operator::I32Load8S { memarg } => self.load(memarg, I32, Ext::S8)?,
            Operator::I32Load8U { memarg } => self.load(memarg, I32, Ext::U8)?,
            Operator::I32Load16S { memarg } => self.load(memarg, I32, Ext::S16)?,
            Operator::I32Load16U { memarg } => self.load(memarg, I32, Ext::U16)?,
            Operator::I64Load8S { memarg } => self.load(memarg, I64, Ext::S8)?,
            Operator::I64Load8U { memarg } => self.load(memarg, I64, Ext::U8)?,
            Operator::I64Load16S { memarg } => self.load(memarg, I64, Ext::S16)?,
            Operator::I64Load16U { memarg } => self.load(memarg, I64, Ext::U16)?,
            Operator::I64Load32S { memarg } => self.load(memarg, I64, Ext::S32)?,
            Operator::I64Load32U { memarg } => self.load(memarg, I64, Ext::U32)?,
            Operator::I32Store { memarg }
            | Operator::I64Store { memarg }
            | Operator::F32Store { memarg }
            | Operator::F64Store { memarg } => self.store(memarg, None)?,
            Operator::I32Store8 { memarg } | Operator::I64Store8 { memarg } => {
                self.store(memarg, Some(types::I8))?
            }
            Operator::I32Store16 { memarg } | Operator::I64Store16 { memarg } => {
                self.store(memarg, Some(types::I16))?
            }
            Operator::I64Store32 { memarg } => self.store(memarg, Some(types::I32))?,
            Operator::MemorySize { mem } => {
                let len = self.env.memory_length(&mut self.builder, *mem);
                let pages = self.builder.ins().ushr_imm_u(len, 16);
                let pages = self.memory_index_value(*mem, pages);
                self.push(pages);
            }
            Operator::MemoryGrow { mem } => {
                let delta = self.pop()?;
                let delta = to_u64(&mut self.builder, delta);
                let m = self.env.memory_struct(&mut self.builder, *mem);
                let old =
                    self.env
                        .call_runtime(&mut self.builder, RuntimeFn::MemoryGrow, &[m, delta]);
                let old = *old.first().ok_or("memory.grow helper returns nothing")?;
                // u64::MAX ("failed") truncates to the i32 -1 Wasm wants.
                let old = self.memory_index_value(*mem, old);
                self.push(old);
            }
            Operator::MemoryFill { mem } => {
                let (dst, val, len) = self.pop3()?;
                let dst = to_u64(&mut self.builder, dst);
                let len = to_u64(&mut self.builder, len);
                let m = self.env.memory_struct(&mut self.builder, *mem);
                self.env.call_runtime_checked(
                    &mut self.builder,
                    RuntimeFn::MemoryFill,
                    &[m, dst, val, len],
                    Trap::MemoryOutOfBounds,
                );
            }
            Operator::MemoryCopy { dst_mem, src_mem } => {
                let d = self.env.memory_struct(&mut self.builder, *dst_mem);
                let s = self.env.memory_struct(&mut self.builder, *src_mem);
                self.bulk_copy(d, s, RuntimeFn::MemoryCopy, Trap::MemoryOutOfBounds)?;
            }
            Operator::MemoryInit { data_index, mem } => {
                let m = self.env.memory_struct(&mut self.builder, *mem);
                let seg = self.env.data_segment(&mut self.builder, *data_index);
                self.bulk_init(m, seg, RuntimeFn::MemoryInit, Trap::MemoryOutOfBounds)?;
            }
            Operator::DataDrop { data_index } => {
                let seg = self.env.data_segment(&mut self.builder, *data_index);
                self.drop_segment(seg);
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// A `u64` page or element count as the memory's index type.
    fn memory_index_value(&mut self, mem: u32, v: Value) -> Value {
        if self.env.memory_is_64(mem) {
            v
        } else {
            self.builder.ins().ireduce(types::I32, v)
        }
    }

    fn load(&mut self, memarg: &MemArg, ty: Type, ext: Ext) -> Result<(), String> {
        let size = match ext {
            Ext::None => ty.bytes(),
            Ext::S8 | Ext::U8 => 1,
            Ext::S16 | Ext::U16 => 2,
            Ext::S32 | Ext::U32 => 4,
        };
        let addr = self.pop()?;
        let (ptr, offset) = self.heap_addr(memarg, addr, size)?;
        let flags = heap_flags();
        let ins = self.builder.ins();
        let v = match ext {
            Ext::None => ins.load(ty, flags, ptr, offset),
            Ext::S8 => ins.sload8(ty, flags, ptr, offset),
            Ext::U8 => ins.uload8(ty, flags, ptr, offset),
            Ext::S16 => ins.sload16(ty, flags, ptr, offset),
            Ext::U16 => ins.uload16(ty, flags, ptr, offset),
            Ext::S32 => ins.sload32(flags, ptr, offset),
            Ext::U32 => ins.uload32(flags, ptr, offset),
        };
        self.push(v);
        Ok(())
    }

    /// Store the top of the stack, truncated to `narrow` when given.
    fn store(&mut self, memarg: &MemArg, narrow: Option<Type>) -> Result<(), String> {
        let (addr, val) = self.pop2()?;
        let size = match narrow {
            Some(t) => t.bytes(),
            None => self.builder.func.dfg.value_type(val).bytes(),
        };
        let (ptr, offset) = self.heap_addr(memarg, addr, size)?;
        let flags = heap_flags();
        // A narrowing store of a constant becomes a plain store of the
        // constant at the narrow type: Cranelift's x64 lowering turns that
        // into one `mov $imm, mem`, but `istore8/16/32` of a constant would
        // first materialise it in a register (which a hot loop then keeps
        // live: the sieve's `composite[j] = 1`).
        if let Some(narrow) = narrow {
            if let Some(imm) = super::iconst_of(self.builder.func, val) {
                let narrow_imm = self.builder.ins().iconst(narrow, imm);
                self.builder.ins().store(flags, narrow_imm, ptr, offset);
                return Ok(());
            }
        }
        let ins = self.builder.ins();
        match narrow.map(|t| t.bits()) {
            None => ins.store(flags, val, ptr, offset),
            Some(8) => ins.istore8(flags, val, ptr, offset),
            Some(16) => ins.istore16(flags, val, ptr, offset),
            Some(32) => ins.istore32(flags, val, ptr, offset),
            Some(bits) => return Err(format!("no {bits}-bit narrowing store")),
        };
        Ok(())
    }

    /// The memory a memory immediate names.
    pub(super) fn memarg_memory(memarg: &MemArg) -> Result<u32, String> {
        match memarg.target {
            MemArgTarget::Memory(m) => Ok(m),
            MemArgTarget::Array(_) => Err("GC array accesses are not supported".into()),
        }
    }

    /// The native address of a `size`-byte access at Wasm address `addr`
    /// (+ the immediate's offset), as a pointer and a small constant offset
    /// to fold into the load or store.
    pub(super) fn heap_addr(
        &mut self,
        memarg: &MemArg,
        addr: Value,
        size: u32,
    ) -> Result<(Value, i32), String> {
        let mem = Self::memarg_memory(memarg)?;
        let offset = memarg.offset;
        // A read-only load: Cranelift reuses it for later accesses it
        // dominates.
        let base = self.env.memory_base(&mut self.builder, mem);
        let index = if self.env.memory_is_64(mem) {
            // Check addr + offset + size <= length without overflowing: an
            // offset + size beyond u64 can never be in bounds, and saturating
            // it keeps that true (the sum overflows unless addr is 0, and
            // then u64::MAX exceeds any length).
            let end_offset = offset.saturating_add(u64::from(size));
            let end_offset = self.builder.ins().iconst(types::I64, end_offset as i64);
            let end = self.builder.ins().uadd_overflow_trap(
                addr,
                end_offset,
                clif_trap(Trap::MemoryOutOfBounds),
            );
            let len = self.env.memory_length(&mut self.builder, mem);
            let oob = self
                .builder
                .ins()
                .icmp(IntCC::UnsignedGreaterThan, end, len);
            self.builder
                .ins()
                .trapnz(oob, clif_trap(Trap::MemoryOutOfBounds));
            addr
        } else {
            super::address::wasm32_index(&mut self.builder, addr)
        };
        let ptr = self.builder.ins().iadd(base, index);
        match i32::try_from(offset) {
            Ok(off) => Ok((ptr, off)),
            Err(_) => {
                let ptr = self.builder.ins().iadd_imm_u(ptr, offset as i64);
                Ok((ptr, 0))
            }
        }
    }
}
