//! The atomic memory operators (threads; standard in Wasm 3.0): loads,
//! stores, read-modify-write, compare-exchange, `atomic.fence`, and
//! `memory.atomic.wait32/wait64/notify`.
//!
//! An atomic access must be aligned to its size, else it traps (`unaligned
//! atomic`) — checked on the effective Wasm address before the access, so
//! the bounds check (the guard region, or the explicit check of a 64-bit
//! memory) still applies. Loads, stores and RMWs are Cranelift's atomic
//! instructions (sequentially consistent: `lock`-prefixed or `xchg` on
//! x86-64); narrow forms zero-extend. Waiting and waking are runtime calls
//! on the cell's native address (`runtime/src/atomics.rs`, Linux futexes);
//! waiting on a memory that is not shared traps, and notifying one wakes
//! nobody.

use super::memory::heap_flags;
use super::Translator;
use crate::traps::clif_trap;
use cranelift_codegen::ir::{types, AtomicRmwOp, InstBuilder, Type, Value};
use wasmlink_abi::{RuntimeFn, Trap};
use wasmlink_module::wasmparser::{MemArg, Operator};

/// What an RMW operator does.
#[derive(Clone, Copy)]
enum Rmw {
    Op(AtomicRmwOp),
    Cmpxchg,
}

impl Translator<'_, '_> {
    pub(super) fn translate_atomic(&mut self, op: &Operator<'_>) -> Result<bool, String> {
        use types::{I16, I32, I64, I8};
        use AtomicRmwOp as A;
        use Operator as O;
        match op {
            O::AtomicFence { .. } => {
                self.builder.ins().fence();
            }
            O::I32AtomicLoad { memarg } => self.atomic_load(memarg, I32, I32)?,
            O::I64AtomicLoad { memarg } => self.atomic_load(memarg, I64, I64)?,
            O::I32AtomicLoad8U { memarg } => self.atomic_load(memarg, I32, I8)?,
            O::I32AtomicLoad16U { memarg } => self.atomic_load(memarg, I32, I16)?,
            O::I64AtomicLoad8U { memarg } => self.atomic_load(memarg, I64, I8)?,
            O::I64AtomicLoad16U { memarg } => self.atomic_load(memarg, I64, I16)?,
            O::I64AtomicLoad32U { memarg } => self.atomic_load(memarg, I64, I32)?,
            O::I32AtomicStore { memarg } => self.atomic_store(memarg, I32)?,
            O::I64AtomicStore { memarg } => self.atomic_store(memarg, I64)?,
            O::I32AtomicStore8 { memarg } | O::I64AtomicStore8 { memarg } => {
                self.atomic_store(memarg, I8)?
            }
            O::I32AtomicStore16 { memarg } | O::I64AtomicStore16 { memarg } => {
                self.atomic_store(memarg, I16)?
            }
            O::I64AtomicStore32 { memarg } => self.atomic_store(memarg, I32)?,

            O::I32AtomicRmwAdd { memarg } => self.atomic_rmw(memarg, I32, I32, Rmw::Op(A::Add))?,
            O::I64AtomicRmwAdd { memarg } => self.atomic_rmw(memarg, I64, I64, Rmw::Op(A::Add))?,
            O::I32AtomicRmw8AddU { memarg } => self.atomic_rmw(memarg, I32, I8, Rmw::Op(A::Add))?,
            O::I32AtomicRmw16AddU { memarg } => {
                self.atomic_rmw(memarg, I32, I16, Rmw::Op(A::Add))?
            }
            O::I64AtomicRmw8AddU { memarg } => self.atomic_rmw(memarg, I64, I8, Rmw::Op(A::Add))?,
            O::I64AtomicRmw16AddU { memarg } => {
                self.atomic_rmw(memarg, I64, I16, Rmw::Op(A::Add))?
            }
            O::I64AtomicRmw32AddU { memarg } => {
                self.atomic_rmw(memarg, I64, I32, Rmw::Op(A::Add))?
            }

            O::I32AtomicRmwSub { memarg } => self.atomic_rmw(memarg, I32, I32, Rmw::Op(A::Sub))?,
            O::I64AtomicRmwSub { memarg } => self.atomic_rmw(memarg, I64, I64, Rmw::Op(A::Sub))?,
            O::I32AtomicRmw8SubU { memarg } => self.atomic_rmw(memarg, I32, I8, Rmw::Op(A::Sub))?,
            O::I32AtomicRmw16SubU { memarg } => {
                self.atomic_rmw(memarg, I32, I16, Rmw::Op(A::Sub))?
            }
            O::I64AtomicRmw8SubU { memarg } => self.atomic_rmw(memarg, I64, I8, Rmw::Op(A::Sub))?,
            O::I64AtomicRmw16SubU { memarg } => {
                self.atomic_rmw(memarg, I64, I16, Rmw::Op(A::Sub))?
            }
            O::I64AtomicRmw32SubU { memarg } => {
                self.atomic_rmw(memarg, I64, I32, Rmw::Op(A::Sub))?
            }

            O::I32AtomicRmwAnd { memarg } => self.atomic_rmw(memarg, I32, I32, Rmw::Op(A::And))?,
            O::I64AtomicRmwAnd { memarg } => self.atomic_rmw(memarg, I64, I64, Rmw::Op(A::And))?,
            O::I32AtomicRmw8AndU { memarg } => self.atomic_rmw(memarg, I32, I8, Rmw::Op(A::And))?,
            O::I32AtomicRmw16AndU { memarg } => {
                self.atomic_rmw(memarg, I32, I16, Rmw::Op(A::And))?
            }
            O::I64AtomicRmw8AndU { memarg } => self.atomic_rmw(memarg, I64, I8, Rmw::Op(A::And))?,
            O::I64AtomicRmw16AndU { memarg } => {
                self.atomic_rmw(memarg, I64, I16, Rmw::Op(A::And))?
            }
            O::I64AtomicRmw32AndU { memarg } => {
                self.atomic_rmw(memarg, I64, I32, Rmw::Op(A::And))?
            }

            O::I32AtomicRmwOr { memarg } => self.atomic_rmw(memarg, I32, I32, Rmw::Op(A::Or))?,
            O::I64AtomicRmwOr { memarg } => self.atomic_rmw(memarg, I64, I64, Rmw::Op(A::Or))?,
            O::I32AtomicRmw8OrU { memarg } => self.atomic_rmw(memarg, I32, I8, Rmw::Op(A::Or))?,
            O::I32AtomicRmw16OrU { memarg } => self.atomic_rmw(memarg, I32, I16, Rmw::Op(A::Or))?,
            O::I64AtomicRmw8OrU { memarg } => self.atomic_rmw(memarg, I64, I8, Rmw::Op(A::Or))?,
            O::I64AtomicRmw16OrU { memarg } => self.atomic_rmw(memarg, I64, I16, Rmw::Op(A::Or))?,
            O::I64AtomicRmw32OrU { memarg } => self.atomic_rmw(memarg, I64, I32, Rmw::Op(A::Or))?,

            O::I32AtomicRmwXor { memarg } => self.atomic_rmw(memarg, I32, I32, Rmw::Op(A::Xor))?,
            O::I64AtomicRmwXor { memarg } => self.atomic_rmw(memarg, I64, I64, Rmw::Op(A::Xor))?,
            O::I32AtomicRmw8XorU { memarg } => self.atomic_rmw(memarg, I32, I8, Rmw::Op(A::Xor))?,
            O::I32AtomicRmw16XorU { memarg } => {
                self.atomic_rmw(memarg, I32, I16, Rmw::Op(A::Xor))?
            }
            O::I64AtomicRmw8XorU { memarg } => self.atomic_rmw(memarg, I64, I8, Rmw::Op(A::Xor))?,
            O::I64AtomicRmw16XorU { memarg } => {
                self.atomic_rmw(memarg, I64, I16, Rmw::Op(A::Xor))?
            }
            O::I64AtomicRmw32XorU { memarg } => {
                self.atomic_rmw(memarg, I64, I32, Rmw::Op(A::Xor))?
            }

            O::I32AtomicRmwXchg { memarg } => {
                self.atomic_rmw(memarg, I32, I32, Rmw::Op(A::Xchg))?
            }
            O::I64AtomicRmwXchg { memarg } => {
                self.atomic_rmw(memarg, I64, I64, Rmw::Op(A::Xchg))?
            }
            O::I32AtomicRmw8XchgU { memarg } => {
                self.atomic_rmw(memarg, I32, I8, Rmw::Op(A::Xchg))?
            }
            O::I32AtomicRmw16XchgU { memarg } => {
                self.atomic_rmw(memarg, I32, I16, Rmw::Op(A::Xchg))?
            }
            O::I64AtomicRmw8XchgU { memarg } => {
                self.atomic_rmw(memarg, I64, I8, Rmw::Op(A::Xchg))?
            }
            O::I64AtomicRmw16XchgU { memarg } => {
                self.atomic_rmw(memarg, I64, I16, Rmw::Op(A::Xchg))?
            }
            O::I64AtomicRmw32XchgU { memarg } => {
                self.atomic_rmw(memarg, I64, I32, Rmw::Op(A::Xchg))?
            }

            O::I32AtomicRmwCmpxchg { memarg } => self.atomic_rmw(memarg, I32, I32, Rmw::Cmpxchg)?,
            O::I64AtomicRmwCmpxchg { memarg } => self.atomic_rmw(memarg, I64, I64, Rmw::Cmpxchg)?,
            O::I32AtomicRmw8CmpxchgU { memarg } => {
                self.atomic_rmw(memarg, I32, I8, Rmw::Cmpxchg)?
            }
            O::I32AtomicRmw16CmpxchgU { memarg } => {
                self.atomic_rmw(memarg, I32, I16, Rmw::Cmpxchg)?
            }
            O::I64AtomicRmw8CmpxchgU { memarg } => {
                self.atomic_rmw(memarg, I64, I8, Rmw::Cmpxchg)?
            }
            O::I64AtomicRmw16CmpxchgU { memarg } => {
                self.atomic_rmw(memarg, I64, I16, Rmw::Cmpxchg)?
            }
            O::I64AtomicRmw32CmpxchgU { memarg } => {
                self.atomic_rmw(memarg, I64, I32, Rmw::Cmpxchg)?
            }

            O::MemoryAtomicNotify { memarg } => {
                let count = self.pop()?;
                let addr = self.pop()?;
                let mem = Self::memarg_memory(memarg)?;
                let ptr = self.atomic_addr_probed(memarg, addr, 4)?;
                let woken = if self.env.memory_is_shared(mem) {
                    self.env
                        .call_runtime(&mut self.builder, RuntimeFn::AtomicNotify, &[ptr, count])[0]
                } else {
                    self.builder.ins().iconst(I32, 0)
                };
                self.push(woken);
            }
            O::MemoryAtomicWait32 { memarg } => self.atomic_wait(memarg, 4)?,
            O::MemoryAtomicWait64 { memarg } => self.atomic_wait(memarg, 8)?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// The native address of an aligned `size`-byte atomic access at Wasm
    /// address `addr`: bounds as for any access, then the alignment of the
    /// effective address.
    fn atomic_addr(&mut self, memarg: &MemArg, addr: Value, size: u32) -> Result<Value, String> {
        self.checked_atomic_addr(memarg, addr, size, false)
    }

    /// [`Self::atomic_addr`] for `wait`/`notify`, which never access the
    /// cell in generated code (the runtime only hands its address to a
    /// futex): a one-byte load of the cell's last byte makes an address
    /// past the end fault in the guard region, as an access would,
    /// before the alignment check (the spec's order).
    fn atomic_addr_probed(
        &mut self,
        memarg: &MemArg,
        addr: Value,
        size: u32,
    ) -> Result<Value, String> {
        self.checked_atomic_addr(memarg, addr, size, true)
    }

    fn checked_atomic_addr(
        &mut self,
        memarg: &MemArg,
        addr: Value,
        size: u32,
        probe: bool,
    ) -> Result<Value, String> {
        let (ptr, offset) = self.heap_addr(memarg, addr, size)?;
        if probe {
            self.builder
                .ins()
                .load(types::I8, heap_flags(), ptr, offset + (size - 1) as i32);
        }
        let ptr = if offset == 0 {
            ptr
        } else {
            self.builder.ins().iadd_imm_u(ptr, i64::from(offset))
        };
        if size > 1 {
            // Memory bases are page-aligned, so the native address has the
            // effective Wasm address's low bits.
            let low = self.builder.ins().band_imm_u(ptr, i64::from(size - 1));
            self.builder
                .ins()
                .trapnz(low, clif_trap(Trap::UnalignedAtomic));
        }
        Ok(ptr)
    }

    fn atomic_load(&mut self, memarg: &MemArg, ty: Type, access: Type) -> Result<(), String> {
        let addr = self.pop()?;
        let ptr = self.atomic_addr(memarg, addr, access.bytes())?;
        let v = self.builder.ins().atomic_load(access, heap_flags(), ptr);
        let v = if access == ty {
            v
        } else {
            self.builder.ins().uextend(ty, v)
        };
        self.push(v);
        Ok(())
    }

    fn atomic_store(&mut self, memarg: &MemArg, access: Type) -> Result<(), String> {
        let (addr, val) = self.pop2()?;
        let ptr = self.atomic_addr(memarg, addr, access.bytes())?;
        let val = if self.builder.func.dfg.value_type(val) == access {
            val
        } else {
            self.builder.ins().ireduce(access, val)
        };
        self.builder.ins().atomic_store(heap_flags(), val, ptr);
        Ok(())
    }

    fn atomic_rmw(
        &mut self,
        memarg: &MemArg,
        ty: Type,
        access: Type,
        op: Rmw,
    ) -> Result<(), String> {
        let narrow = |t: &mut Self, v: Value| {
            if access == ty {
                v
            } else {
                t.builder.ins().ireduce(access, v)
            }
        };
        let old = match op {
            Rmw::Op(op) => {
                let (addr, val) = self.pop2()?;
                let ptr = self.atomic_addr(memarg, addr, access.bytes())?;
                let val = narrow(self, val);
                self.builder
                    .ins()
                    .atomic_rmw(access, heap_flags(), op, ptr, val)
            }
            Rmw::Cmpxchg => {
                let (addr, expected, replacement) = self.pop3()?;
                let ptr = self.atomic_addr(memarg, addr, access.bytes())?;
                let expected = narrow(self, expected);
                let replacement = narrow(self, replacement);
                self.builder
                    .ins()
                    .atomic_cas(heap_flags(), ptr, expected, replacement)
            }
        };
        let old = if access == ty {
            old
        } else {
            self.builder.ins().uextend(ty, old)
        };
        self.push(old);
        Ok(())
    }

    fn atomic_wait(&mut self, memarg: &MemArg, size: u32) -> Result<(), String> {
        let (addr, expected, timeout) = self.pop3()?;
        let mem = Self::memarg_memory(memarg)?;
        let ptr = self.atomic_addr_probed(memarg, addr, size)?;
        if !self.env.memory_is_shared(mem) {
            self.builder
                .ins()
                .trap(clif_trap(Trap::ExpectedSharedMemory));
            // The rest of the block is dead; keep the stack shape.
            let dead = self.builder.create_block();
            self.builder.switch_to_block(dead);
            self.builder.seal_block(dead);
            let zero = self.builder.ins().iconst(types::I32, 0);
            self.push(zero);
            return Ok(());
        }
        let f = if size == 4 {
            RuntimeFn::AtomicWait32
        } else {
            RuntimeFn::AtomicWait64
        };
        let r = self
            .env
            .call_runtime(&mut self.builder, f, &[ptr, expected, timeout])[0];
        self.push(r);
        Ok(())
    }
}
