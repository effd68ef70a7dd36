//! Copying one value from where the source side has it to where the
//! destination side wants it. A value is either flat (core values in
//! locals, [`Src::Flat`]/[`Dst::Flat`]) or in a linear memory at a base
//! address plus a static offset ([`Src::Mem`]/[`Dst::Mem`]); every type is
//! handled for all four combinations by the same code, which reads the
//! value in its own core type, checks or normalises it as lifting requires
//! (bools, chars, discriminants, flags, handles), and writes it.
//!
//! Lists are copied by a loop over their elements (or one `memory.copy`
//! when the element is plain bytes); strings go to a transcoder
//! (`string.rs`).

use super::func::{memarg, ptr_memarg, FuncBuilder, Local, Operand, MAX_BYTE_LENGTH};
use super::{Dir, ModuleCtx};
use crate::contract::AdapterTrap;
use crate::flatten::{flatten_type, CoreType};
use crate::layout::{
    alignment, discriminant_size, elem_size, field_offsets, flags_size, flags_words,
    payload_offset, PTR_SIZE,
};
use crate::types::ValType;
use wasm_encoder::{BlockType, Instruction as I};

/// A flat value's core slot: a local and the type it has there (a variant
/// payload's slot may be wider than the value it carries).
#[derive(Clone, Copy, Debug)]
pub struct Slot {
    pub local: u32,
    pub ty: CoreType,
}

impl From<Local> for Slot {
    fn from(l: Local) -> Slot {
        Slot {
            local: l.idx,
            ty: l.ty,
        }
    }
}

/// A place in a linear memory: `memory[local(addr) + offset]`.
#[derive(Clone, Copy, Debug)]
pub struct MemRef {
    pub mem: u32,
    pub addr: u32,
    pub offset: u32,
}

impl MemRef {
    pub fn at(self, extra: u32) -> MemRef {
        MemRef {
            offset: self.offset + extra,
            ..self
        }
    }
}

/// Where a value is read from.
#[derive(Clone, Copy, Debug)]
pub enum Src<'a> {
    Flat(&'a [Slot]),
    Mem(MemRef),
}

/// Where a value is written to.
#[derive(Clone, Copy, Debug)]
pub enum Dst<'a> {
    Flat(&'a [Slot]),
    Mem(MemRef),
}

/// How a scalar is represented: its core type, its size in memory, how it
/// is checked or normalised when it crosses.
#[derive(Clone, Copy, Debug)]
enum Scalar {
    Bool,
    Int {
        bytes: u32,
        signed: bool,
    },
    I64,
    F32,
    F64,
    Char,
    /// An enum (or payload-less variant) discriminant with `cases` cases.
    Discriminant {
        cases: u32,
        bytes: u32,
    },
    /// One word of flags, with the bits beyond the labels masked off.
    Flags {
        bytes: u32,
        mask: Option<u32>,
    },
    Own(u32),
    Borrow(u32),
}

impl Scalar {
    /// (core type, bytes in memory, sign-extending load).
    fn repr(self) -> (CoreType, u32, bool) {
        match self {
            Scalar::Bool => (CoreType::I32, 1, false),
            Scalar::Int { bytes, signed } => (CoreType::I32, bytes, signed),
            Scalar::I64 => (CoreType::I64, 8, false),
            Scalar::F32 => (CoreType::F32, 4, false),
            Scalar::F64 => (CoreType::F64, 8, false),
            Scalar::Char | Scalar::Own(_) | Scalar::Borrow(_) => (CoreType::I32, 4, false),
            Scalar::Discriminant { bytes, .. } | Scalar::Flags { bytes, .. } => {
                (CoreType::I32, bytes, false)
            }
        }
    }
}

/// Generates the code that moves values in one direction.
pub struct Translator<'a> {
    pub ctx: &'a mut ModuleCtx,
    pub f: &'a mut FuncBuilder,
    pub dir: Dir,
}

impl Translator<'_> {
    pub fn translate(&mut self, ty: &ValType, src: Src, dst: Dst) {
        match ty {
            ValType::Bool => self.scalar(Scalar::Bool, src, dst),
            ValType::S8 => self.scalar(
                Scalar::Int {
                    bytes: 1,
                    signed: true,
                },
                src,
                dst,
            ),
            ValType::U8 => self.scalar(
                Scalar::Int {
                    bytes: 1,
                    signed: false,
                },
                src,
                dst,
            ),
            ValType::S16 => self.scalar(
                Scalar::Int {
                    bytes: 2,
                    signed: true,
                },
                src,
                dst,
            ),
            ValType::U16 => self.scalar(
                Scalar::Int {
                    bytes: 2,
                    signed: false,
                },
                src,
                dst,
            ),
            ValType::S32 | ValType::U32 => self.scalar(
                Scalar::Int {
                    bytes: 4,
                    signed: false,
                },
                src,
                dst,
            ),
            ValType::S64 | ValType::U64 => self.scalar(Scalar::I64, src, dst),
            ValType::F32 => self.scalar(Scalar::F32, src, dst),
            ValType::F64 => self.scalar(Scalar::F64, src, dst),
            ValType::Char => self.scalar(Scalar::Char, src, dst),
            ValType::Own(r) => self.scalar(Scalar::Own(*r), src, dst),
            ValType::Borrow(r) => self.scalar(Scalar::Borrow(*r), src, dst),
            ValType::Flags(labels) => self.flags(labels.len(), src, dst),
            ValType::Record(_) | ValType::Tuple(_) => {
                let fields = ty.record_fields().unwrap_or_default();
                self.fields(&fields, src, dst)
            }
            ValType::Variant(_)
            | ValType::Enum(_)
            | ValType::Option(_)
            | ValType::Result { .. } => {
                let cases = ty.variant_cases().unwrap_or_default();
                self.variant(&cases, src, dst)
            }
            ValType::String => self.string(src, dst),
            ValType::List(elem) => self.list(elem, src, dst),
        }
    }

    /// A sequence of values laid out as a record: record and tuple fields,
    /// and whole parameter or result lists.
    pub fn fields(&mut self, fields: &[&ValType], src: Src, dst: Dst) {
        let offsets = field_offsets(fields.iter().copied());
        let (mut si, mut di) = (0, 0);
        for (field, offset) in fields.iter().zip(offsets) {
            let n = flatten_type(field).len();
            let s = match src {
                Src::Flat(slots) => Src::Flat(&slots[si..si + n]),
                Src::Mem(m) => Src::Mem(m.at(offset)),
            };
            let d = match dst {
                Dst::Flat(slots) => Dst::Flat(&slots[di..di + n]),
                Dst::Mem(m) => Dst::Mem(m.at(offset)),
            };
            si += n;
            di += n;
            self.translate(field, s, d);
        }
    }

    /// Push a scalar of `bytes` bytes read from `src`, in core type `ty`.
    fn read(&mut self, src: Src, ty: CoreType, bytes: u32, signed: bool) {
        match src {
            Src::Flat(slots) => {
                self.f.push(I::LocalGet(slots[0].local));
                self.f.coerce_from_slot(slots[0].ty, ty);
            }
            Src::Mem(m) => {
                self.f.push(I::LocalGet(m.addr));
                let arg = memarg(m.mem, m.offset, bytes);
                self.f.push(match (ty, bytes, signed) {
                    (CoreType::I32, 1, false) => I::I32Load8U(arg),
                    (CoreType::I32, 1, true) => I::I32Load8S(arg),
                    (CoreType::I32, 2, false) => I::I32Load16U(arg),
                    (CoreType::I32, 2, true) => I::I32Load16S(arg),
                    (CoreType::I32, _, _) => I::I32Load(arg),
                    (CoreType::I64, _, _) => I::I64Load(arg),
                    (CoreType::F32, _, _) => I::F32Load(arg),
                    (CoreType::F64, _, _) => I::F64Load(arg),
                });
            }
        }
    }

    /// Start writing to `dst`: a memory store needs its address first.
    fn begin_write(&mut self, dst: Dst) {
        if let Dst::Mem(m) = dst {
            self.f.push(I::LocalGet(m.addr));
        }
    }

    /// Pop a value of core type `ty` into `dst`.
    fn end_write(&mut self, dst: Dst, ty: CoreType, bytes: u32) {
        match dst {
            Dst::Flat(slots) => {
                self.f.coerce_to_slot(ty, slots[0].ty);
                self.f.push(I::LocalSet(slots[0].local));
            }
            Dst::Mem(m) => {
                let arg = memarg(m.mem, m.offset, bytes);
                self.f.push(match (ty, bytes) {
                    (CoreType::I32, 1) => I::I32Store8(arg),
                    (CoreType::I32, 2) => I::I32Store16(arg),
                    (CoreType::I32, _) => I::I32Store(arg),
                    (CoreType::I64, _) => I::I64Store(arg),
                    (CoreType::F32, _) => I::F32Store(arg),
                    (CoreType::F64, _) => I::F64Store(arg),
                });
            }
        }
    }

    fn scalar(&mut self, kind: Scalar, src: Src, dst: Dst) {
        let (ty, bytes, signed) = kind.repr();
        let flat_to_flat = matches!((src, dst), (Src::Flat(_), Dst::Flat(_)));
        self.begin_write(dst);
        self.read(src, ty, bytes, signed);
        match kind {
            // Any non-zero byte is true; true is written as 1.
            Scalar::Bool => self.f.extend([I::I32Const(0), I::I32Ne]),
            // A flat narrow integer keeps only its low bits (sign-extended
            // for signed types); loads and stores of the width do that too.
            Scalar::Int { bytes: 1, signed } if flat_to_flat => self.f.push(if signed {
                I::I32Extend8S
            } else {
                I::I32Const(0xFF)
            }),
            Scalar::Int { bytes: 2, signed } if flat_to_flat => self.f.push(if signed {
                I::I32Extend16S
            } else {
                I::I32Const(0xFFFF)
            }),
            Scalar::Char => {
                let v = self.f.local(CoreType::I32);
                self.f.set(v);
                // v >= 0x110000 || (v - 0xD800) < 0x800
                self.f.get(v);
                self.f.extend([I::I32Const(0x110000), I::I32GeU]);
                self.f.get(v);
                self.f.extend([
                    I::I32Const(0xD800),
                    I::I32Sub,
                    I::I32Const(0x800),
                    I::I32LtU,
                    I::I32Or,
                ]);
                self.f.trap_if(AdapterTrap::InvalidChar);
                self.f.get(v);
                self.f.free(v);
            }
            Scalar::Discriminant { cases, .. } => {
                let v = self.f.local(CoreType::I32);
                self.f.tee(v);
                self.f.extend([I::I32Const(cases as i32), I::I32GeU]);
                self.f.trap_if(AdapterTrap::InvalidDiscriminant);
                self.f.get(v);
                self.f.free(v);
            }
            Scalar::Flags {
                mask: Some(mask), ..
            } => self.f.extend([I::I32Const(mask as i32), I::I32And]),
            Scalar::Own(resource) | Scalar::Borrow(resource) => {
                let from = self.instance(self.dir.src);
                let to = self.instance(self.dir.dst);
                let func = match kind {
                    Scalar::Own(_) => self.ctx.transfer_own,
                    _ => self.ctx.transfer_borrow,
                }
                .expect("the plan imports a transfer intrinsic for every handle type");
                self.f.extend([
                    I::I32Const(resource as i32),
                    I::I32Const(from as i32),
                    I::I32Const(to as i32),
                    I::Call(func),
                ]);
            }
            _ => {}
        }
        if flat_to_flat {
            if let Scalar::Int {
                bytes: 1 | 2,
                signed: false,
            } = kind
            {
                self.f.push(I::I32And);
            }
        }
        self.end_write(dst, ty, bytes);
    }

    fn instance(&self, side: super::Side) -> u32 {
        self.ctx
            .side(side)
            .instance
            .expect("handles only cross between component instances (checked before planning)")
    }

    fn flags(&mut self, labels: usize, src: Src, dst: Dst) {
        let words = flags_words(labels);
        let bytes = flags_size(labels).min(4);
        for word in 0..words {
            let bits = (labels - 32 * word as usize).min(32);
            let mask = (bits < 32).then(|| (1u32 << bits) - 1);
            let i = word as usize;
            let s = match src {
                Src::Flat(slots) => Src::Flat(&slots[i..i + 1]),
                Src::Mem(m) => Src::Mem(m.at(4 * word)),
            };
            let d = match dst {
                Dst::Flat(slots) => Dst::Flat(&slots[i..i + 1]),
                Dst::Mem(m) => Dst::Mem(m.at(4 * word)),
            };
            self.scalar(Scalar::Flags { bytes, mask }, s, d);
        }
    }

    fn variant(&mut self, cases: &[Option<&ValType>], src: Src, dst: Dst) {
        let n = cases.len() as u32;
        let bytes = discriminant_size(cases.len());
        if cases.iter().all(Option::is_none) {
            return self.scalar(Scalar::Discriminant { cases: n, bytes }, src, dst);
        }
        let payload = payload_offset(cases);
        let disc = self.f.local(CoreType::I32);
        self.read(src, CoreType::I32, bytes, false);
        self.f.set(disc);
        // block $done; block $case(n-1) … block $case0; block $bad;
        //   br_table $case0 … $case(n-1) $bad
        self.f.push(I::Block(BlockType::Empty));
        for _ in 0..=n {
            self.f.push(I::Block(BlockType::Empty));
        }
        self.f.get(disc);
        self.f
            .push(I::BrTable((1..=n).collect::<Vec<_>>().into(), 0));
        self.f.push(I::End);
        self.f.trap(AdapterTrap::InvalidDiscriminant);
        for (i, case) in cases.iter().enumerate() {
            self.f.push(I::End);
            // The discriminant.
            self.begin_write(dst);
            self.f.push(I::I32Const(i as i32));
            self.end_write(dst.narrow(0, 1), CoreType::I32, bytes);
            // The payload, and zeros in the slots it leaves unused.
            let used = case.map_or(0, |t| flatten_type(t).len());
            if let Some(t) = case {
                let s = match src {
                    Src::Flat(slots) => Src::Flat(&slots[1..1 + used]),
                    Src::Mem(m) => Src::Mem(m.at(payload)),
                };
                let d = match dst {
                    Dst::Flat(slots) => Dst::Flat(&slots[1..1 + used]),
                    Dst::Mem(m) => Dst::Mem(m.at(payload)),
                };
                self.translate(t, s, d);
            }
            if let Dst::Flat(slots) = dst {
                for slot in &slots[1 + used..] {
                    self.f.zero(slot.ty);
                    self.f.push(I::LocalSet(slot.local));
                }
            }
            let depth = n - 1 - i as u32;
            if depth > 0 {
                self.f.push(I::Br(depth));
            }
        }
        self.f.push(I::End);
        self.f.free(disc);
    }

    /// Read a (pointer, length) pair from `src` into two locals.
    pub fn read_pointer_pair(&mut self, src: Src) -> (Local, Local) {
        let ptr = self.f.local(CoreType::I32);
        let len = self.f.local(CoreType::I32);
        for (i, local) in [ptr, len].into_iter().enumerate() {
            match src {
                Src::Flat(slots) => {
                    self.f.push(I::LocalGet(slots[i].local));
                    self.f.coerce_from_slot(slots[i].ty, CoreType::I32);
                }
                Src::Mem(m) => {
                    self.f.push(I::LocalGet(m.addr));
                    self.f.push(I::I32Load(ptr_memarg(
                        m.mem,
                        m.offset + i as u32 * PTR_SIZE,
                    )));
                }
            }
            self.f.set(local);
        }
        (ptr, len)
    }

    /// Write a (pointer, length) pair to `dst`.
    pub fn write_pointer_pair(&mut self, dst: Dst, ptr: Local, len: Local) {
        for (i, local) in [ptr, len].into_iter().enumerate() {
            match dst {
                Dst::Flat(slots) => {
                    self.f.get(local);
                    self.f.coerce_to_slot(CoreType::I32, slots[i].ty);
                    self.f.push(I::LocalSet(slots[i].local));
                }
                Dst::Mem(m) => {
                    self.f.push(I::LocalGet(m.addr));
                    self.f.get(local);
                    self.f.push(I::I32Store(ptr_memarg(
                        m.mem,
                        m.offset + i as u32 * PTR_SIZE,
                    )));
                }
            }
        }
    }

    fn list(&mut self, elem: &ValType, src: Src, dst: Dst) {
        let size = elem_size(elem);
        let align = alignment(elem);
        let src_mem = self.ctx.memory(self.dir.src);
        let dst_mem = self.ctx.memory(self.dir.dst);
        let realloc = self.ctx.realloc(self.dir.dst);
        let (sp, n) = self.read_pointer_pair(src);
        // The spec's order: length bound, alignment, bounds.
        let bytes64 = self.f.local(CoreType::I64);
        self.f.get(n);
        self.f.push(I::I64ExtendI32U);
        self.f.extend([I::I64Const(size as i64), I::I64Mul]);
        self.f.tee(bytes64);
        self.f.extend([I::I64Const(MAX_BYTE_LENGTH), I::I64GtU]);
        self.f.trap_if(AdapterTrap::ListOutOfBounds);
        self.f.check_aligned(sp, align);
        self.f
            .check_in_bounds_i64(src_mem, sp, bytes64, AdapterTrap::ListOutOfBounds);
        let bytes = self.f.local(CoreType::I32);
        self.f.get(bytes64);
        self.f.push(I::I32WrapI64);
        self.f.set(bytes);
        self.f.free(bytes64);
        let dp = self.f.local(CoreType::I32);
        self.f.realloc(
            realloc,
            dst_mem,
            dp,
            Operand::I32(0),
            Operand::I32(0),
            align,
            Operand::Local(bytes.idx),
        );
        if is_plain_bytes(elem) {
            self.f.get(dp);
            self.f.get(sp);
            self.f.get(bytes);
            self.f.push(I::MemoryCopy { src_mem, dst_mem });
        } else {
            let cs = self.f.local(CoreType::I32);
            let cd = self.f.local(CoreType::I32);
            let left = self.f.local(CoreType::I32);
            self.f.get(sp);
            self.f.set(cs);
            self.f.get(dp);
            self.f.set(cd);
            self.f.get(n);
            self.f.set(left);
            self.f.push(I::Block(BlockType::Empty));
            self.f.push(I::Loop(BlockType::Empty));
            self.f.get(left);
            self.f.extend([I::I32Eqz, I::BrIf(1)]);
            let s = MemRef {
                mem: src_mem,
                addr: cs.idx,
                offset: 0,
            };
            let d = MemRef {
                mem: dst_mem,
                addr: cd.idx,
                offset: 0,
            };
            self.translate(elem, Src::Mem(s), Dst::Mem(d));
            for (local, delta) in [(cs, size as i32), (cd, size as i32), (left, -1)] {
                self.f.get(local);
                self.f.extend([I::I32Const(delta), I::I32Add]);
                self.f.set(local);
            }
            self.f.extend([I::Br(0), I::End, I::End]);
            for l in [cs, cd, left] {
                self.f.free(l);
            }
        }
        self.write_pointer_pair(dst, dp, n);
        for l in [sp, n, bytes, dp] {
            self.f.free(l);
        }
    }
}

impl Dst<'_> {
    /// The slots `from..to` of a flat destination (a memory one is kept).
    fn narrow(self, from: usize, to: usize) -> Self {
        match self {
            Dst::Flat(slots) => Dst::Flat(&slots[from..to]),
            mem => mem,
        }
    }
}

/// Whether a list of `ty` can be copied byte for byte: integers and floats
/// (and records of them) need no check, no normalisation, no pointer
/// rewriting.
fn is_plain_bytes(ty: &ValType) -> bool {
    match ty {
        ValType::S8
        | ValType::U8
        | ValType::S16
        | ValType::U16
        | ValType::S32
        | ValType::U32
        | ValType::S64
        | ValType::U64
        | ValType::F32
        | ValType::F64 => true,
        ValType::Record(_) | ValType::Tuple(_) => ty
            .record_fields()
            .unwrap_or_default()
            .into_iter()
            .all(is_plain_bytes),
        _ => false,
    }
}
