//! Wasm GC objects: `struct.*`, `array.*`, `ref.i31`/`i31.get_*`,
//! `ref.eq` and the `any`/`extern` conversions (casts are in
//! [`super::casts`]).
//!
//! References are the tagged words of `wasmlink_abi::gc`: an object is
//! the address of its header, so a field is a load at a constant offset
//! from the reference; an `i31` is `(value << 1) | 1`; the `extern` and
//! `any` hierarchies share the representation, so converting costs
//! nothing. Objects come from the runtime's collector (`GcAlloc`), which
//! zeroes their payload; the allocation call is a safepoint.

use super::Translator;
use crate::env::FuncEnv;
use crate::gc_types::{Field, Storage};
use crate::traps::clif_trap;
use cranelift_codegen::ir::{condcodes::IntCC, types, InstBuilder, MemFlagsData, Value};
use cranelift_frontend::FunctionBuilder;
use wasmlink_abi::gc::{gc_field, GC_CLASS_SIZES};
use wasmlink_abi::{field, RuntimeFn, Trap};
use wasmlink_module::wasmparser::{Operator, ValType};

/// Flags of an access to an object's payload: never traps (the reference
/// was checked), but a `v128` field may be unaligned.
fn payload_flags() -> MemFlagsData {
    MemFlagsData::new().with_notrap()
}

/// How a packed field is read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Extend {
    None,
    Signed,
    Unsigned,
}

impl Translator<'_, '_> {
    pub(super) fn translate_gc(&mut self, op: &Operator<'_>) -> Result<bool, String> {
        match *op {
            Operator::StructNew { struct_type_index } => {
                let (k, fields) = self.gc_type(struct_type_index)?;
                let values = self.popn(fields.len())?;
                let zero = self.builder.ins().iconst(types::I32, 0);
                let obj = self.gc_alloc(k, zero, Some(0));
                for (f, v) in fields.iter().zip(values) {
                    self.store_field(obj, None, *f, v);
                }
                self.push(obj);
            }
            Operator::StructNewDefault { struct_type_index } => {
                let (k, _) = self.gc_type(struct_type_index)?;
                let zero = self.builder.ins().iconst(types::I32, 0);
                let obj = self.gc_alloc(k, zero, Some(0));
                self.push(obj);
            }
            Operator::StructGet {
                struct_type_index,
                field_index,
            } => self.struct_get(struct_type_index, field_index, Extend::None)?,
            Operator::StructGetS {
                struct_type_index,
                field_index,
            } => self.struct_get(struct_type_index, field_index, Extend::Signed)?,
            Operator::StructGetU {
                struct_type_index,
                field_index,
            } => self.struct_get(struct_type_index, field_index, Extend::Unsigned)?,
            Operator::StructSet {
                struct_type_index,
                field_index,
            } => {
                let f = self.struct_field(struct_type_index, field_index)?;
                let (obj, v) = self.pop2()?;
                self.null_check(obj, Trap::NullStructReference);
                self.store_field(obj, None, f, v);
            }
            Operator::ArrayNew { array_type_index } => {
                let (k, fields) = self.gc_type(array_type_index)?;
                let (init, len) = self.pop2()?;
                let obj = self.gc_alloc(k, len, None);
                let zero = self.builder.ins().iconst(types::I32, 0);
                self.fill_elements(obj, fields[0], zero, len, init);
                self.push(obj);
            }
            Operator::ArrayNewDefault { array_type_index } => {
                let (k, _) = self.gc_type(array_type_index)?;
                let len = self.pop()?;
                let obj = self.gc_alloc(k, len, None);
                self.push(obj);
            }
            Operator::ArrayNewFixed {
                array_type_index,
                array_size,
            } => {
                let (k, fields) = self.gc_type(array_type_index)?;
                let values = self.popn(array_size as usize)?;
                let len = self.builder.ins().iconst(types::I32, i64::from(array_size));
                let obj = self.gc_alloc(k, len, Some(array_size));
                for (i, v) in values.into_iter().enumerate() {
                    let index = self.builder.ins().iconst(types::I32, i as i64);
                    self.store_field(obj, Some(index), fields[0], v);
                }
                self.push(obj);
            }
            Operator::ArrayNewData {
                array_type_index,
                array_data_index: segment,
            }
            | Operator::ArrayNewElem {
                array_type_index,
                array_elem_index: segment,
            } => {
                let elem = matches!(op, Operator::ArrayNewElem { .. });
                let (k, fields) = self.gc_type(array_type_index)?;
                let (offset, len) = self.pop2()?;
                let src = self.segment_bytes(elem, segment, offset, len, fields[0])?;
                let obj = self.gc_alloc(k, len, None);
                let zero = self.builder.ins().iconst(types::I32, 0);
                self.copy_in(obj, fields[0], zero, len, src);
                self.push(obj);
            }
            Operator::ArrayGet { array_type_index } => {
                self.array_get(array_type_index, Extend::None)?
            }
            Operator::ArrayGetS { array_type_index } => {
                self.array_get(array_type_index, Extend::Signed)?
            }
            Operator::ArrayGetU { array_type_index } => {
                self.array_get(array_type_index, Extend::Unsigned)?
            }
            Operator::ArraySet { array_type_index } => {
                let (_, fields) = self.gc_type(array_type_index)?;
                let (obj, index, v) = self.pop3()?;
                self.array_bounds(obj, index, None);
                self.store_field(obj, Some(index), fields[0], v);
            }
            Operator::ArrayLen => {
                let obj = self.pop()?;
                let len = self.array_len(obj);
                self.push(len);
            }
            Operator::ArrayFill { array_type_index } => {
                let (_, fields) = self.gc_type(array_type_index)?;
                let (obj, start, v, n) = {
                    let n = self.pop()?;
                    let (obj, start, v) = self.pop3()?;
                    (obj, start, v, n)
                };
                self.array_bounds(obj, start, Some(n));
                self.fill_elements(obj, fields[0], start, n, v);
            }
            Operator::ArrayCopy {
                array_type_index_dst,
                ..
            } => {
                let (_, fields) = self.gc_type(array_type_index_dst)?;
                let n = self.pop()?;
                let (src_obj, src_at) = self.pop2()?;
                let (dst_obj, dst_at) = self.pop2()?;
                self.array_bounds(dst_obj, dst_at, Some(n));
                self.array_bounds(src_obj, src_at, Some(n));
                let size = fields[0].storage.size();
                let dst = self.element_addr(dst_obj, dst_at, size);
                let src = self.element_addr(src_obj, src_at, size);
                let bytes = self.byte_count(n, size);
                let config = self.env.src.isa.frontend_config();
                self.builder.call_memmove(config, dst, src, bytes);
            }
            Operator::ArrayInitData {
                array_type_index,
                array_data_index: segment,
            }
            | Operator::ArrayInitElem {
                array_type_index,
                array_elem_index: segment,
            } => {
                let elem = matches!(op, Operator::ArrayInitElem { .. });
                let (_, fields) = self.gc_type(array_type_index)?;
                let (at, offset, n) = self.pop3()?;
                let obj = self.pop()?;
                self.array_bounds(obj, at, Some(n));
                let src = self.segment_bytes(elem, segment, offset, n, fields[0])?;
                self.copy_in(obj, fields[0], at, n, src);
            }
            Operator::RefI31 => self.unary(|b, x| {
                let shifted = b.ins().ishl_imm_u(x, 1);
                let tagged = b.ins().bor_imm_u(shifted, 1);
                b.ins().uextend(types::I64, tagged)
            })?,
            Operator::I31GetS | Operator::I31GetU => {
                let r = self.pop()?;
                self.null_check(r, Trap::NullI31Reference);
                let word = self.builder.ins().ireduce(types::I32, r);
                let v = if matches!(op, Operator::I31GetS) {
                    self.builder.ins().sshr_imm_u(word, 1)
                } else {
                    self.builder.ins().ushr_imm_u(word, 1)
                };
                self.push(v);
            }
            Operator::RefEq => self.binary(|b, x, y| {
                let eq = b.ins().icmp(IntCC::Equal, x, y);
                b.ins().uextend(types::I32, eq)
            })?,
            // The two hierarchies share one representation.
            Operator::AnyConvertExtern | Operator::ExternConvertAny => {}
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// The canonical type of struct or array type `type_index` and its
    /// fields (an array's one element).
    pub(super) fn gc_type(&self, type_index: u32) -> Result<(usize, Vec<Field>), String> {
        let gc = &self.env.src.plan.gc_types;
        let k = gc
            .canonical(self.env.src.source, type_index)
            .ok_or_else(|| format!("type {type_index} is not a struct or array type"))?;
        Ok((k, gc.types[k].fields.clone()))
    }

    fn struct_field(&self, type_index: u32, field_index: u32) -> Result<Field, String> {
        let (_, fields) = self.gc_type(type_index)?;
        fields
            .get(field_index as usize)
            .copied()
            .ok_or_else(|| format!("struct type {type_index} has no field {field_index}"))
    }

    fn gc_alloc(&mut self, k: usize, len: Value, known_len: Option<u32>) -> Value {
        alloc_object(self.env, &mut self.builder, k, len, known_len)
    }

    fn null_check(&mut self, r: Value, trap: Trap) {
        self.builder.ins().trapz(r, clif_trap(trap));
    }

    fn struct_get(&mut self, type_index: u32, field_index: u32, ext: Extend) -> Result<(), String> {
        let f = self.struct_field(type_index, field_index)?;
        let obj = self.pop()?;
        self.null_check(obj, Trap::NullStructReference);
        let v = self.load_field(obj, None, f, ext);
        self.push(v);
        Ok(())
    }

    fn array_get(&mut self, type_index: u32, ext: Extend) -> Result<(), String> {
        let (_, fields) = self.gc_type(type_index)?;
        let (obj, index) = self.pop2()?;
        self.array_bounds(obj, index, None);
        let v = self.load_field(obj, Some(index), fields[0], ext);
        self.push(v);
        Ok(())
    }

    /// An array's length (`i32`), trapping on null.
    fn array_len(&mut self, obj: Value) -> Value {
        self.null_check(obj, Trap::NullArrayReference);
        self.builder.ins().load(
            types::I32,
            MemFlagsData::trusted(),
            obj,
            gc_field::HEADER_LENGTH,
        )
    }

    /// Trap unless element `at` (with `count`: elements `at..at+count`)
    /// is inside array `obj`, and on null.
    fn array_bounds(&mut self, obj: Value, at: Value, count: Option<Value>) {
        let len = self.array_len(obj);
        let b = &mut self.builder;
        let len = b.ins().uextend(types::I64, len);
        let at = b.ins().uextend(types::I64, at);
        let (end, cc) = match count {
            Some(n) => {
                let n = b.ins().uextend(types::I64, n);
                (b.ins().iadd(at, n), IntCC::UnsignedGreaterThan)
            }
            None => (at, IntCC::UnsignedGreaterThanOrEqual),
        };
        let out = b.ins().icmp(cc, end, len);
        b.ins().trapnz(out, clif_trap(Trap::ArrayOutOfBounds));
    }

    fn byte_count(&mut self, n: Value, size: u32) -> Value {
        byte_count(&mut self.builder, n, size)
    }

    fn element_addr(&mut self, obj: Value, index: Value, size: u32) -> Value {
        element_addr(&mut self.builder, obj, index, size)
    }

    fn field_addr(&mut self, obj: Value, index: Option<Value>, f: Field) -> (Value, i32) {
        field_addr(&mut self.builder, obj, index, f)
    }

    fn store_field(&mut self, obj: Value, index: Option<Value>, f: Field, v: Value) {
        store_field(&mut self.builder, obj, index, f, v)
    }

    fn fill_elements(&mut self, obj: Value, f: Field, start: Value, n: Value, v: Value) {
        fill_elements(&mut self.builder, obj, f, start, n, v)
    }

    fn load_field(&mut self, obj: Value, index: Option<Value>, f: Field, ext: Extend) -> Value {
        let (addr, offset) = self.field_addr(obj, index, f);
        let flags = payload_flags();
        let b = &mut self.builder;
        match (f.storage, ext) {
            (Storage::I8, Extend::Signed) => b.ins().sload8(types::I32, flags, addr, offset),
            (Storage::I8, _) => b.ins().uload8(types::I32, flags, addr, offset),
            (Storage::I16, Extend::Signed) => b.ins().sload16(types::I32, flags, addr, offset),
            (Storage::I16, _) => b.ins().uload16(types::I32, flags, addr, offset),
            (Storage::GcRef, _) => b.ins().load(types::I64, flags, addr, offset),
            (Storage::Val(t), _) => b.ins().load(clif_val(t), flags, addr, offset),
        }
    }

    /// The address of elements `offset..offset+n` of data segment `index`
    /// (`elem`: of element segment `index`, 8-byte items), each of the
    /// array element's size, trapping when they are not all inside it.
    fn segment_bytes(
        &mut self,
        elem: bool,
        index: u32,
        offset: Value,
        n: Value,
        f: Field,
    ) -> Result<Value, String> {
        let size = if elem { 8 } else { f.storage.size() };
        let slot = if elem {
            self.env.elem_segment(&mut self.builder, index)
        } else {
            self.env.data_segment(&mut self.builder, index)
        };
        let (trap, unit) = if elem {
            (Trap::TableOutOfBounds, 1)
        } else {
            (Trap::MemoryOutOfBounds, size)
        };
        let b = &mut self.builder;
        let flags = MemFlagsData::trusted();
        let ptr = b.ins().load(types::I64, flags, slot, field::SEGMENT_PTR);
        let len = b.ins().load(types::I64, flags, slot, field::SEGMENT_LEN);
        // Data segments count bytes, element segments items.
        let start = b.ins().uextend(types::I64, offset);
        let count = b.ins().uextend(types::I64, n);
        let count = b.ins().imul_imm_u(count, i64::from(unit));
        let end = b.ins().iadd(start, count);
        let out = b.ins().icmp(IntCC::UnsignedGreaterThan, end, len);
        b.ins().trapnz(out, clif_trap(trap));
        let scale = if elem { 8 } else { 1 };
        let at = b.ins().imul_imm_u(start, scale);
        Ok(b.ins().iadd(ptr, at))
    }

    /// Copy `n` elements from `src` into `obj` from element `at`.
    fn copy_in(&mut self, obj: Value, f: Field, at: Value, n: Value, src: Value) {
        let size = f.storage.size();
        let dst = self.element_addr(obj, at, size);
        let bytes = self.byte_count(n, size);
        let config = self.env.src.isa.frontend_config();
        self.builder.call_memcpy(config, dst, src, bytes);
    }
}

/// A new object of canonical type `k` (`len` elements for an array;
/// `known_len` when that is a constant), trapping when it cannot be had.
///
/// An object whose size is known here and whose payload is at most 64
/// bytes is allocated inline when it can be: the head of its size class's
/// free list in the runtime's `GcAllocState` is taken, the budget
/// lowered, the header written and the payload zeroed with a few stores.
/// Only an empty list or a spent budget (a collection is due) calls the
/// runtime, which is then the one safepoint.
pub(crate) fn alloc_object(
    env: &mut FuncEnv,
    b: &mut FunctionBuilder,
    k: usize,
    len: Value,
    known_len: Option<u32>,
) -> Value {
    let info = env.src.plan.gc_type_infos[k];
    let info = env.data_addr(b, info);
    let inline = env.src.plan.gc_heap.and_then(|heap| {
        let t = &env.src.plan.gc_types.types[k];
        let payload = if t.is_array {
            known_len? * t.fields[0].storage.size()
        } else {
            t.size
        };
        let bytes = (gc_field::PAYLOAD as u32 + payload).next_multiple_of(8);
        let class = GC_CLASS_SIZES.iter().position(|&c| c >= bytes)?;
        (bytes - gc_field::PAYLOAD as u32 <= 64).then_some((heap, class, bytes))
    });
    let Some((heap, class, bytes)) = inline else {
        return call_alloc(env, b, info, len);
    };
    let flags = MemFlagsData::trusted();
    let heap = env.data_addr(b, heap);
    let head_at = gc_field::ALLOC_FREE + 8 * class as i32;
    let cell = i64::from(GC_CLASS_SIZES[class]);
    let head = b.ins().load(types::I64, flags, heap, head_at);
    let budget = b
        .ins()
        .load(types::I64, flags, heap, gc_field::ALLOC_BUDGET);
    let has_cell = b.ins().icmp_imm_u(IntCC::NotEqual, head, 0);
    let in_budget = b
        .ins()
        .icmp_imm_s(IntCC::SignedGreaterThanOrEqual, budget, cell);
    let fast_ok = b.ins().band(has_cell, in_budget);
    let fast = b.create_block();
    let slow = b.create_block();
    let done = b.create_block();
    let obj = b.append_block_param(done, types::I64);
    b.ins().brif(fast_ok, fast, &[], slow, &[]);

    b.switch_to_block(fast);
    b.seal_block(fast);
    // A free cell's header links to the next free cell in `type_info`.
    let next = b
        .ins()
        .load(types::I64, flags, head, gc_field::HEADER_TYPE_INFO);
    b.ins().store(flags, next, heap, head_at);
    let left = b.ins().iadd_imm_s(budget, -cell);
    b.ins().store(flags, left, heap, gc_field::ALLOC_BUDGET);
    b.ins().store(flags, info, head, gc_field::HEADER_TYPE_INFO);
    // `gc_bits` (0: not free, not marked) and `length`, one word.
    let length = i64::from(known_len.unwrap_or(0)) << 32;
    let bits_and_length = b.ins().iconst(types::I64, length);
    b.ins()
        .store(flags, bits_and_length, head, gc_field::HEADER_GC_BITS);
    let zero = b.ins().iconst(types::I64, 0);
    for at in (gc_field::PAYLOAD as u32..bytes).step_by(8) {
        b.ins().store(flags, zero, head, at as i32);
    }
    b.ins().jump(done, &[head.into()]);

    b.switch_to_block(slow);
    b.seal_block(slow);
    let called = call_alloc(env, b, info, len);
    b.ins().jump(done, &[called.into()]);

    b.switch_to_block(done);
    b.seal_block(done);
    obj
}

/// `wasmlink_gc_alloc(info, len)`, trapping on null.
fn call_alloc(env: &mut FuncEnv, b: &mut FunctionBuilder, info: Value, len: Value) -> Value {
    let obj = env.call_runtime(b, RuntimeFn::GcAlloc, &[info, len])[0];
    b.ins().trapz(obj, clif_trap(Trap::AllocationFailure));
    obj
}

/// `n` elements of `size` bytes, as an `i64` byte count.
fn byte_count(b: &mut FunctionBuilder, n: Value, size: u32) -> Value {
    let n = b.ins().uextend(types::I64, n);
    b.ins().imul_imm_u(n, i64::from(size))
}

/// The address of element `index` (an `i32`) of `size` bytes.
fn element_addr(b: &mut FunctionBuilder, obj: Value, index: Value, size: u32) -> Value {
    let offset = byte_count(b, index, size);
    let base = b.ins().iadd(obj, offset);
    b.ins().iadd_imm_s(base, i64::from(gc_field::PAYLOAD))
}

/// The address and offset of field `f` of `obj`, or of element `index`.
fn field_addr(b: &mut FunctionBuilder, obj: Value, index: Option<Value>, f: Field) -> (Value, i32) {
    match index {
        Some(i) => (element_addr(b, obj, i, f.storage.size()), 0),
        None => (obj, gc_field::PAYLOAD + f.offset as i32),
    }
}

/// Store `v` in field `f` of `obj` (or element `index`).
pub(crate) fn store_field(
    b: &mut FunctionBuilder,
    obj: Value,
    index: Option<Value>,
    f: Field,
    v: Value,
) {
    let (addr, offset) = field_addr(b, obj, index, f);
    let flags = payload_flags();
    match f.storage {
        Storage::I8 => b.ins().istore8(flags, v, addr, offset),
        Storage::I16 => b.ins().istore16(flags, v, addr, offset),
        Storage::Val(_) | Storage::GcRef => b.ins().store(flags, v, addr, offset),
    };
}

/// Store `v` into elements `start..start+n` of `obj` (bounds already
/// checked).
pub(crate) fn fill_elements(
    b: &mut FunctionBuilder,
    obj: Value,
    f: Field,
    start: Value,
    n: Value,
    v: Value,
) {
    let header = b.create_block();
    let body = b.create_block();
    let done = b.create_block();
    let end = b.ins().iadd(start, n);
    b.ins().jump(header, &[start.into()]);
    b.switch_to_block(header);
    let i = b.append_block_param(header, types::I32);
    let more = b.ins().icmp(IntCC::UnsignedLessThan, i, end);
    b.ins().brif(more, body, &[], done, &[]);
    b.switch_to_block(body);
    b.seal_block(body);
    store_field(b, obj, Some(i), f, v);
    let next = b.ins().iadd_imm_s(i, 1);
    b.ins().jump(header, &[next.into()]);
    b.seal_block(header);
    b.switch_to_block(done);
    b.seal_block(done);
}

/// The Cranelift type a field of value type `t` is loaded as.
fn clif_val(t: ValType) -> types::Type {
    crate::env::clif_type(t)
}
