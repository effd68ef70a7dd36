//! One function body under construction: its locals (with reuse of
//! temporaries), its instructions, and the small code patterns every part
//! of the generator uses — named traps, range checks, `realloc` calls,
//! coercions between a value's own core type and the joined type of the
//! slot that carries it.

use crate::contract::AdapterTrap;
use crate::flatten::CoreType;
use crate::layout::PTR_SIZE;
use std::collections::HashMap;
use wasm_encoder::{BlockType, Function, Instruction as I, MemArg, MemArgTarget, ValType};

/// The largest byte length of a string or list (the spec's
/// `MAX_STRING_BYTE_LENGTH` and `MAX_LIST_BYTE_LENGTH`, 2^31 - 1 since the
/// spec raised them from 2^28 - 1; wasmtime agrees).
pub const MAX_BYTE_LENGTH: i64 = (1 << 31) - 1;

/// A local of the function being built.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Local {
    pub idx: u32,
    pub ty: CoreType,
}

/// An operand pushed with one instruction: a local or a constant.
#[derive(Clone, Copy, Debug)]
pub enum Operand {
    Local(u32),
    I32(i32),
}

pub fn val_type(t: CoreType) -> ValType {
    match t {
        CoreType::I32 => ValType::I32,
        CoreType::I64 => ValType::I64,
        CoreType::F32 => ValType::F32,
        CoreType::F64 => ValType::F64,
    }
}

/// A function body being generated.
pub struct FuncBuilder {
    params: u32,
    locals: Vec<CoreType>,
    free: HashMap<CoreType, Vec<u32>>,
    code: Vec<I<'static>>,
    /// Function index of the imported `trap` intrinsic.
    trap_func: u32,
    /// The block types [`FuncBuilder::call_guarded`] needs for a `realloc`
    /// call, once set: exceptions from it trap instead of unwinding.
    realloc_guard: Option<GuardTypes>,
}

/// The two block types of a guarded call of a function `P -> R`: the
/// indices of `P -> R` and of `P -> []` in the module's type section.
#[derive(Clone, Copy, Debug)]
pub struct GuardTypes {
    pub through: u32,
    pub consume: u32,
}

impl FuncBuilder {
    pub fn new(params: &[CoreType], trap_func: u32) -> FuncBuilder {
        FuncBuilder {
            params: params.len() as u32,
            locals: Vec::new(),
            free: HashMap::new(),
            code: Vec::new(),
            trap_func,
            realloc_guard: None,
        }
    }

    /// A parameter as a local.
    pub fn param(&self, idx: u32, ty: CoreType) -> Local {
        debug_assert!(idx < self.params);
        Local { idx, ty }
    }

    /// A fresh local (or a freed one of the same type).
    pub fn local(&mut self, ty: CoreType) -> Local {
        if let Some(idx) = self.free.get_mut(&ty).and_then(Vec::pop) {
            return Local { idx, ty };
        }
        let idx = self.params + self.locals.len() as u32;
        self.locals.push(ty);
        Local { idx, ty }
    }

    /// Give a local back for reuse; it must not be read again.
    pub fn free(&mut self, local: Local) {
        if local.idx >= self.params {
            self.free.entry(local.ty).or_default().push(local.idx);
        }
    }

    pub fn push(&mut self, instruction: I<'static>) {
        self.code.push(instruction);
    }

    pub fn extend(&mut self, instructions: impl IntoIterator<Item = I<'static>>) {
        self.code.extend(instructions);
    }

    pub fn get(&mut self, local: Local) {
        self.push(I::LocalGet(local.idx));
    }

    pub fn set(&mut self, local: Local) {
        self.push(I::LocalSet(local.idx));
    }

    pub fn tee(&mut self, local: Local) {
        self.push(I::LocalTee(local.idx));
    }

    pub fn operand(&mut self, op: Operand) {
        match op {
            Operand::Local(idx) => self.push(I::LocalGet(idx)),
            Operand::I32(v) => self.push(I::I32Const(v)),
        }
    }

    /// Trap with `trap`: call the `trap` intrinsic, then `unreachable` in
    /// case it returns.
    pub fn trap(&mut self, trap: AdapterTrap) {
        self.extend([
            I::I32Const(trap.code() as i32),
            I::Call(self.trap_func),
            I::Unreachable,
        ]);
    }

    /// Guard the `realloc` calls this function makes (see
    /// [`FuncBuilder::call_guarded`]).
    pub fn guard_realloc(&mut self, types: GuardTypes) {
        self.realloc_guard = Some(types);
    }

    /// Call `func` (its arguments on the stack) so that an exception it
    /// throws traps here instead of unwinding into the other component:
    /// exceptions never cross a component boundary.
    ///
    /// ```text
    /// block (P -> R)                            ;; the results leave here
    ///   block (P -> [])                         ;; catch_all lands after it
    ///     try_table (P -> R) (catch_all 0) call func end
    ///     br 1
    ///   end
    ///   trap exception-left-component
    /// end
    /// ```
    pub fn call_guarded(&mut self, func: u32, types: GuardTypes) {
        self.extend([
            I::Block(BlockType::FunctionType(types.through)),
            I::Block(BlockType::FunctionType(types.consume)),
            I::TryTable(
                BlockType::FunctionType(types.through),
                std::borrow::Cow::Owned(vec![wasm_encoder::Catch::All { label: 0 }]),
            ),
            I::Call(func),
            I::End,
            I::Br(1),
            I::End,
        ]);
        self.trap(AdapterTrap::ExceptionLeftComponent);
        self.push(I::End);
    }

    /// Pop an `i32` condition; trap with `trap` when it is non-zero.
    pub fn trap_if(&mut self, trap: AdapterTrap) {
        self.push(I::If(BlockType::Empty));
        self.trap(trap);
        self.push(I::End);
    }

    /// Trap with [`AdapterTrap::UnalignedPointer`] unless `ptr` is a
    /// multiple of `align`.
    pub fn check_aligned(&mut self, ptr: Local, align: u32) {
        if align > 1 {
            self.get(ptr);
            self.extend([I::I32Const(align as i32 - 1), I::I32And]);
            self.trap_if(AdapterTrap::UnalignedPointer);
        }
    }

    /// Trap with `trap` when `ptr + len` (an `i64` local holding a byte
    /// length) lies beyond the end of memory `mem`. Computed in 64 bits: a
    /// 4 GiB memory's end does not fit in 32.
    pub fn check_in_bounds_i64(&mut self, mem: u32, ptr: Local, len: Local, trap: AdapterTrap) {
        self.get(ptr);
        self.push(I::I64ExtendI32U);
        self.get(len);
        self.push(I::I64Add);
        self.memory_end(mem);
        self.push(I::I64GtU);
        self.trap_if(trap);
    }

    /// The same for a constant byte length.
    pub fn check_in_bounds_const(&mut self, mem: u32, ptr: Local, len: u32, trap: AdapterTrap) {
        self.get(ptr);
        self.push(I::I64ExtendI32U);
        if len > 0 {
            self.extend([I::I64Const(len as i64), I::I64Add]);
        }
        self.memory_end(mem);
        self.push(I::I64GtU);
        self.trap_if(trap);
    }

    /// Push the byte size of memory `mem` as an `i64`.
    pub fn memory_end(&mut self, mem: u32) {
        self.extend([
            I::MemorySize(mem),
            I::I64ExtendI32U,
            I::I64Const(16),
            I::I64Shl,
        ]);
    }

    /// Call `realloc(old, old_size, align, new_size)` and put the result in
    /// `out`, then check it as the spec does: aligned, and `new_size` bytes
    /// inside memory `mem` (else [`AdapterTrap::PointerOutOfBounds`]).
    // The four realloc arguments, the memory, where the result goes and
    // the flags to clear around it are all distinct locals and indices.
    #[allow(clippy::too_many_arguments)]
    pub fn realloc(
        &mut self,
        realloc: u32,
        mem: u32,
        out: Local,
        old: Operand,
        old_size: Operand,
        align: u32,
        new_size: Operand,
    ) {
        self.operand(old);
        self.operand(old_size);
        self.push(I::I32Const(align as i32));
        self.operand(new_size);
        match self.realloc_guard {
            Some(types) => self.call_guarded(realloc, types),
            None => self.push(I::Call(realloc)),
        }
        self.set(out);
        self.check_aligned(out, align);
        match new_size {
            Operand::I32(n) => {
                self.check_in_bounds_const(mem, out, n as u32, AdapterTrap::PointerOutOfBounds)
            }
            Operand::Local(idx) => {
                let len = self.local(CoreType::I64);
                self.extend([I::LocalGet(idx), I::I64ExtendI32U]);
                self.set(len);
                self.check_in_bounds_i64(mem, out, len, AdapterTrap::PointerOutOfBounds);
                self.free(len);
            }
        }
    }

    /// Convert the value on the stack from `have` (the type of the slot
    /// that carries it, possibly a variant's joined type) to `want` (the
    /// value's own flat type): the spec's `CoerceValueIter`.
    pub fn coerce_from_slot(&mut self, have: CoreType, want: CoreType) {
        use CoreType::*;
        match (have, want) {
            _ if have == want => {}
            (I32, F32) => self.push(I::F32ReinterpretI32),
            (I64, I32) => self.push(I::I32WrapI64),
            (I64, F32) => self.extend([I::I32WrapI64, I::F32ReinterpretI32]),
            (I64, F64) => self.push(I::F64ReinterpretI64),
            _ => unreachable!("no join makes {want} travel as {have}"),
        }
    }

    /// Convert the value on the stack from its own flat type `have` to the
    /// type `want` of the slot it goes into (`lower_flat_variant`).
    pub fn coerce_to_slot(&mut self, have: CoreType, want: CoreType) {
        use CoreType::*;
        match (have, want) {
            _ if have == want => {}
            (F32, I32) => self.push(I::I32ReinterpretF32),
            (I32, I64) => self.push(I::I64ExtendI32U),
            (F32, I64) => self.extend([I::I32ReinterpretF32, I::I64ExtendI32U]),
            (F64, I64) => self.push(I::I64ReinterpretF64),
            _ => unreachable!("no join makes {have} travel as {want}"),
        }
    }

    /// Push the zero of `ty`.
    pub fn zero(&mut self, ty: CoreType) {
        self.push(match ty {
            CoreType::I32 => I::I32Const(0),
            CoreType::I64 => I::I64Const(0),
            CoreType::F32 => I::F32Const(0.0.into()),
            CoreType::F64 => I::F64Const(0.0.into()),
        });
    }

    /// The finished body.
    pub fn finish(mut self) -> Function {
        self.push(I::End);
        let mut runs: Vec<(u32, ValType)> = Vec::new();
        for &t in &self.locals {
            match runs.last_mut() {
                Some((n, v)) if *v == val_type(t) => *n += 1,
                _ => runs.push((1, val_type(t))),
            }
        }
        let mut f = Function::new(runs);
        for i in &self.code {
            f.instruction(i);
        }
        f
    }
}

/// A memory operand: memory `mem` at `offset` from the address on the
/// stack, with the natural alignment of an access of `bytes` bytes.
pub fn memarg(mem: u32, offset: u32, bytes: u32) -> MemArg {
    MemArg {
        offset: offset as u64,
        align: bytes.trailing_zeros(),
        target: MemArgTarget::Memory(mem),
        ordering: None,
    }
}

/// `memarg` for a pointer-sized field.
pub fn ptr_memarg(mem: u32, offset: u32) -> MemArg {
    memarg(mem, offset, PTR_SIZE)
}
