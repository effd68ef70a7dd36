//! String transcoders: one helper function per (source encoding,
//! destination encoding, direction) an adapter needs, with signature
//! `(src_ptr, src_code_units) -> (dst_ptr, dst_tagged_code_units)`.
//!
//! Each follows the canonical ABI's `load_string_from_range` (length
//! bound, alignment and bounds checks, decoding that traps on invalid
//! input) and its `store_string_*` function for the pair (the same
//! `realloc` calls with the same sizes: an optimistic first allocation,
//! a grow to the worst case when a code point does not fit, a final
//! shrink). Decoding and encoding are written out in Wasm; nothing is
//! interpreted at run time.

mod codec;

use super::func::{memarg, FuncBuilder, Local, Operand, MAX_BYTE_LENGTH};
use super::{Dir, ModuleCtx};
use crate::contract::AdapterTrap;
use crate::flatten::CoreType::{I32, I64};
use crate::options::StringEncoding;
use wasm_encoder::{BlockType, Function, Instruction as I};

/// The `latin1+utf16` tag: the top bit of a 32-bit length.
pub const UTF16_TAG: u32 = 1 << 31;

/// What a source string is, once a `latin1+utf16` string's tag is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Source {
    Utf8,
    Utf16,
    /// UTF-16 from a `latin1+utf16` side (tag set): the producer chose
    /// UTF-16, so a `latin1+utf16` destination starts out as UTF-16.
    CompactUtf16,
    /// Latin-1 from a `latin1+utf16` side (tag clear).
    Latin1,
}

/// One transcoding helper.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Transcode {
    pub from: Source,
    pub to: StringEncoding,
}

impl Transcode {
    pub fn name(&self) -> String {
        let from = match self.from {
            Source::Utf8 => "utf8",
            Source::Utf16 => "utf16",
            Source::CompactUtf16 => "compact-utf16",
            Source::Latin1 => "latin1",
        };
        let to = match self.to {
            StringEncoding::Utf8 => "utf8",
            StringEncoding::Utf16 => "utf16",
            StringEncoding::Latin1Utf16 => "latin1+utf16",
        };
        format!("transcode-{from}-to-{to}")
    }
}

/// Generate the helper's body.
pub(super) fn generate(ctx: &mut ModuleCtx, t: Transcode, dir: Dir) -> Function {
    let f = ctx.func_builder(&[I32, I32]);
    let mut g = Gen {
        sp: f.param(0, I32),
        n: f.param(1, I32),
        f,
        src: ctx.memory(dir.src),
        dst: ctx.memory(dir.dst),
        realloc: ctx.realloc(dir.dst),
    };
    g.check_source(t.from);
    let dp = g.f.local(I32);
    let out_len = g.f.local(I32);
    use StringEncoding::*;
    match (t.from, t.to) {
        (Source::Utf8, Utf8) => g.copy_validated(Source::Utf8, 1, dp, out_len),
        (Source::Utf16 | Source::CompactUtf16, Utf16) => {
            g.copy_validated(Source::Utf16, 2, dp, out_len)
        }
        (Source::Latin1, Latin1Utf16) => g.copy_latin1(dp, out_len),
        (Source::Latin1, Utf16) => g.latin1_to_utf16(dp, out_len),
        (Source::CompactUtf16, Latin1Utf16) => g.probably_utf16_to_compact(dp, out_len),
        (Source::Utf16 | Source::CompactUtf16 | Source::Latin1, Utf8) => {
            g.transcode_to_utf8(t.from, dp, out_len)
        }
        (Source::Utf8, Utf16) => g.utf8_to_utf16(dp, out_len),
        (Source::Utf8 | Source::Utf16, Latin1Utf16) => g.transcode_to_compact(t.from, dp, out_len),
    }
    g.f.get(dp);
    g.f.get(out_len);
    g.f.finish()
}

struct Gen {
    f: FuncBuilder,
    /// Source string: pointer and code units (tag removed).
    sp: Local,
    n: Local,
    src: u32,
    dst: u32,
    realloc: u32,
}

impl Gen {
    /// The spec's checks before decoding: byte length at most 2^28 - 1,
    /// pointer aligned (2 for anything from a `latin1+utf16` side), bytes
    /// inside the source memory.
    fn check_source(&mut self, from: Source) {
        let (unit, align) = match from {
            Source::Utf8 => (1, 1),
            Source::Utf16 | Source::CompactUtf16 => (2, 2),
            Source::Latin1 => (1, 2),
        };
        let bytes = self.f.local(I64);
        self.f.get(self.n);
        self.f.push(I::I64ExtendI32U);
        if unit > 1 {
            self.f.extend([I::I64Const(unit), I::I64Mul]);
        }
        self.f.tee(bytes);
        self.f.extend([I::I64Const(MAX_BYTE_LENGTH), I::I64GtU]);
        self.f.trap_if(AdapterTrap::StringOutOfBounds);
        self.f.check_aligned(self.sp, align);
        self.f
            .check_in_bounds_i64(self.src, self.sp, bytes, AdapterTrap::StringOutOfBounds);
        self.f.free(bytes);
    }

    /// `local = local + delta`.
    fn bump(&mut self, local: Local, delta: i32) {
        self.f.get(local);
        self.f.extend([I::I32Const(delta), I::I32Add]);
        self.f.set(local);
    }

    fn set_const(&mut self, local: Local, value: i32) {
        self.f.push(I::I32Const(value));
        self.f.set(local);
    }

    /// `local = a OP b` for locals and constants.
    fn assign(&mut self, local: Local, a: Operand, b: Operand, op: I<'static>) {
        self.f.operand(a);
        self.f.operand(b);
        self.f.push(op);
        self.f.set(local);
    }

    fn realloc(&mut self, out: Local, old: Operand, old_size: Operand, align: u32, size: Operand) {
        self.f
            .realloc(self.realloc, self.dst, out, old, old_size, align, size);
    }

    /// `memory.copy` of `bytes` from the source string to `dp`.
    fn copy_bytes(&mut self, dp: Local, bytes: Operand) {
        self.f.get(dp);
        self.f.get(self.sp);
        self.f.operand(bytes);
        self.f.push(I::MemoryCopy {
            src_mem: self.src,
            dst_mem: self.dst,
        });
    }

    /// `n` code units times `unit` bytes, in a fresh local (fits: the
    /// source checks bounded it by 2^28).
    fn scaled(&mut self, unit: i32) -> Local {
        let out = self.f.local(I32);
        self.assign(
            out,
            Operand::Local(self.n.idx),
            Operand::I32(unit),
            I::I32Mul,
        );
        out
    }

    /// Same encoding on both sides: validate, allocate, copy
    /// (`store_string_copy`).
    fn copy_validated(&mut self, from: Source, unit: i32, dp: Local, out_len: Local) {
        if from == Source::Utf8 {
            self.validate_utf8();
        } else {
            let cp = self.f.local(I32);
            self.each_code_point(from, cp, |_| {});
            self.f.free(cp);
        }
        let bytes = self.scaled(unit);
        self.realloc(
            dp,
            Operand::I32(0),
            Operand::I32(0),
            unit as u32,
            Operand::Local(bytes.idx),
        );
        self.copy_bytes(dp, Operand::Local(bytes.idx));
        self.f.get(self.n);
        self.f.set(out_len);
    }

    /// Latin-1 to `latin1+utf16`: a byte copy into an allocation aligned
    /// to 2.
    fn copy_latin1(&mut self, dp: Local, out_len: Local) {
        self.realloc(
            dp,
            Operand::I32(0),
            Operand::I32(0),
            2,
            Operand::Local(self.n.idx),
        );
        self.copy_bytes(dp, Operand::Local(self.n.idx));
        self.f.get(self.n);
        self.f.set(out_len);
    }

    /// Latin-1 to UTF-16: every byte becomes one code unit.
    fn latin1_to_utf16(&mut self, dp: Local, out_len: Local) {
        let bytes = self.scaled(2);
        self.realloc(
            dp,
            Operand::I32(0),
            Operand::I32(0),
            2,
            Operand::Local(bytes.idx),
        );
        let q = self.f.local(I32);
        self.f.get(dp);
        self.f.set(q);
        let cp = self.f.local(I32);
        self.each_code_point(Source::Latin1, cp, |g| {
            g.f.get(q);
            g.f.get(cp);
            g.f.push(I::I32Store16(memarg(g.dst, 0, 2)));
            g.bump(q, 2);
        });
        self.f.get(self.n);
        self.f.set(out_len);
    }

    /// `store_probably_utf16_to_latin1_or_utf16`: copy as UTF-16; if every
    /// code point is below 256, squeeze to Latin-1 in place and shrink.
    fn probably_utf16_to_compact(&mut self, dp: Local, out_len: Local) {
        let acc = self.f.local(I32);
        let cp = self.f.local(I32);
        self.set_const(acc, 0);
        self.each_code_point(Source::Utf16, cp, |g| {
            g.assign(
                acc,
                Operand::Local(acc.idx),
                Operand::Local(cp.idx),
                I::I32Or,
            );
        });
        let bytes = self.scaled(2);
        self.realloc(
            dp,
            Operand::I32(0),
            Operand::I32(0),
            2,
            Operand::Local(bytes.idx),
        );
        self.copy_bytes(dp, Operand::Local(bytes.idx));
        self.f.get(acc);
        self.f
            .extend([I::I32Const(256), I::I32GeU, I::If(BlockType::Empty)]);
        self.assign(
            out_len,
            Operand::Local(self.n.idx),
            Operand::I32(UTF16_TAG as i32),
            I::I32Or,
        );
        self.f.push(I::Else);
        {
            let q = self.f.local(I32);
            let r = self.f.local(I32);
            let rem = self.f.local(I32);
            self.f.get(dp);
            self.f.set(q);
            self.f.get(dp);
            self.f.set(r);
            self.f.get(self.n);
            self.f.set(rem);
            self.f.push(I::Block(BlockType::Empty));
            self.f.push(I::Loop(BlockType::Empty));
            self.f.get(rem);
            self.f.extend([I::I32Eqz, I::BrIf(1)]);
            self.f.get(q);
            self.f.get(r);
            self.f.push(I::I32Load8U(memarg(self.dst, 0, 1)));
            self.f.push(I::I32Store8(memarg(self.dst, 0, 1)));
            self.bump(q, 1);
            self.bump(r, 2);
            self.bump(rem, -1);
            self.f.extend([I::Br(0), I::End, I::End]);
            self.realloc(
                dp,
                Operand::Local(dp.idx),
                Operand::Local(bytes.idx),
                1,
                Operand::Local(self.n.idx),
            );
            self.f.get(self.n);
            self.f.set(out_len);
        }
        self.f.push(I::End);
    }

    /// `store_string_to_utf8` from UTF-16 or Latin-1: allocate one byte per
    /// code unit; at the first code point above ASCII grow to the worst
    /// case (3 or 2 bytes per unit), and shrink to fit at the end.
    fn transcode_to_utf8(&mut self, from: Source, dp: Local, out_len: Local) {
        let worst = self.scaled(if from == Source::Latin1 { 2 } else { 3 });
        self.realloc(
            dp,
            Operand::I32(0),
            Operand::I32(0),
            1,
            Operand::Local(self.n.idx),
        );
        let written = self.f.local(I32);
        let wide = self.f.local(I32);
        let q = self.f.local(I32);
        let cp = self.f.local(I32);
        self.set_const(written, 0);
        self.set_const(wide, 0);
        self.each_code_point(from, cp, |g| {
            g.f.get(cp);
            g.f.extend([I::I32Const(0x80), I::I32LtU, I::If(BlockType::Empty)]);
            g.f.get(dp);
            g.f.get(written);
            g.f.push(I::I32Add);
            g.f.get(cp);
            g.f.push(I::I32Store8(memarg(g.dst, 0, 1)));
            g.bump(written, 1);
            g.f.push(I::Else);
            g.f.get(wide);
            g.f.extend([I::I32Eqz, I::If(BlockType::Empty)]);
            g.realloc(
                dp,
                Operand::Local(dp.idx),
                Operand::Local(g.n.idx),
                1,
                Operand::Local(worst.idx),
            );
            g.set_const(wide, 1);
            g.f.push(I::End);
            g.assign(
                q,
                Operand::Local(dp.idx),
                Operand::Local(written.idx),
                I::I32Add,
            );
            g.encode_utf8(q, cp);
            g.assign(
                written,
                Operand::Local(q.idx),
                Operand::Local(dp.idx),
                I::I32Sub,
            );
            g.f.push(I::End);
        });
        self.f.get(wide);
        self.f.get(written);
        self.f.get(worst);
        self.f
            .extend([I::I32LtU, I::I32And, I::If(BlockType::Empty)]);
        self.realloc(
            dp,
            Operand::Local(dp.idx),
            Operand::Local(worst.idx),
            1,
            Operand::Local(written.idx),
        );
        self.f.push(I::End);
        self.f.get(written);
        self.f.set(out_len);
    }

    /// `store_utf8_to_utf16`: allocate two bytes per UTF-8 byte, transcode,
    /// shrink to fit.
    fn utf8_to_utf16(&mut self, dp: Local, out_len: Local) {
        let worst = self.scaled(2);
        self.realloc(
            dp,
            Operand::I32(0),
            Operand::I32(0),
            2,
            Operand::Local(worst.idx),
        );
        let q = self.f.local(I32);
        let cp = self.f.local(I32);
        self.f.get(dp);
        self.f.set(q);
        self.each_code_point(Source::Utf8, cp, |g| g.encode_utf16(q, cp));
        let bytes = self.f.local(I32);
        self.assign(
            bytes,
            Operand::Local(q.idx),
            Operand::Local(dp.idx),
            I::I32Sub,
        );
        self.f.get(bytes);
        self.f.get(worst);
        self.f.extend([I::I32LtU, I::If(BlockType::Empty)]);
        self.realloc(
            dp,
            Operand::Local(dp.idx),
            Operand::Local(worst.idx),
            2,
            Operand::Local(bytes.idx),
        );
        self.f.push(I::End);
        self.assign(
            out_len,
            Operand::Local(bytes.idx),
            Operand::I32(1),
            I::I32ShrU,
        );
    }

    /// `store_string_to_latin1_or_utf16`: Latin-1 as long as every code
    /// point fits; at the first that does not, grow to two bytes per unit,
    /// widen what was written in place (from the end) and go on in UTF-16.
    fn transcode_to_compact(&mut self, from: Source, dp: Local, out_len: Local) {
        self.realloc(
            dp,
            Operand::I32(0),
            Operand::I32(0),
            2,
            Operand::Local(self.n.idx),
        );
        let worst = self.scaled(2);
        let units = self.f.local(I32);
        let wide = self.f.local(I32);
        let q = self.f.local(I32);
        let cp = self.f.local(I32);
        self.set_const(units, 0);
        self.set_const(wide, 0);
        self.each_code_point(from, cp, |g| {
            g.f.get(wide);
            g.f.push(I::I32Eqz);
            g.f.get(cp);
            g.f.extend([
                I::I32Const(256),
                I::I32LtU,
                I::I32And,
                I::If(BlockType::Empty),
            ]);
            // Still Latin-1.
            g.f.get(dp);
            g.f.get(units);
            g.f.push(I::I32Add);
            g.f.get(cp);
            g.f.push(I::I32Store8(memarg(g.dst, 0, 1)));
            g.bump(units, 1);
            g.f.push(I::Else);
            g.f.get(wide);
            g.f.extend([I::I32Eqz, I::If(BlockType::Empty)]);
            g.realloc(
                dp,
                Operand::Local(dp.idx),
                Operand::Local(g.n.idx),
                2,
                Operand::Local(worst.idx),
            );
            g.widen_in_place(dp, units);
            g.set_const(wide, 1);
            g.f.push(I::End);
            // q = dp + 2 * units
            g.f.get(units);
            g.f.extend([I::I32Const(1), I::I32Shl]);
            g.f.get(dp);
            g.f.push(I::I32Add);
            g.f.set(q);
            g.encode_utf16(q, cp);
            g.f.get(q);
            g.f.get(dp);
            g.f.extend([I::I32Sub, I::I32Const(1), I::I32ShrU]);
            g.f.set(units);
            g.f.push(I::End);
        });
        let bytes = self.f.local(I32);
        self.f.get(wide);
        self.f.push(I::If(BlockType::Empty));
        self.assign(bytes, Operand::Local(units.idx), Operand::I32(2), I::I32Mul);
        self.f.get(bytes);
        self.f.get(worst);
        self.f.extend([I::I32LtU, I::If(BlockType::Empty)]);
        self.realloc(
            dp,
            Operand::Local(dp.idx),
            Operand::Local(worst.idx),
            2,
            Operand::Local(bytes.idx),
        );
        self.f.push(I::End);
        self.assign(
            out_len,
            Operand::Local(units.idx),
            Operand::I32(UTF16_TAG as i32),
            I::I32Or,
        );
        self.f.push(I::Else);
        self.f.get(units);
        self.f.get(self.n);
        self.f.extend([I::I32LtU, I::If(BlockType::Empty)]);
        self.realloc(
            dp,
            Operand::Local(dp.idx),
            Operand::Local(self.n.idx),
            2,
            Operand::Local(units.idx),
        );
        self.f.push(I::End);
        self.f.get(units);
        self.f.set(out_len);
        self.f.push(I::End);
    }

    /// Turn the `count` Latin-1 bytes at `dp` into UTF-16 code units in
    /// place, last first so nothing is overwritten before it is read.
    fn widen_in_place(&mut self, dp: Local, count: Local) {
        let j = self.f.local(I32);
        self.f.get(count);
        self.f.set(j);
        self.f.push(I::Block(BlockType::Empty));
        self.f.push(I::Loop(BlockType::Empty));
        self.f.get(j);
        self.f.extend([I::I32Eqz, I::BrIf(1)]);
        self.bump(j, -1);
        // store16(dp + 2j, load8_u(dp + j))
        self.f.get(j);
        self.f.extend([I::I32Const(1), I::I32Shl]);
        self.f.get(dp);
        self.f.push(I::I32Add);
        self.f.get(dp);
        self.f.get(j);
        self.f.push(I::I32Add);
        self.f.push(I::I32Load8U(memarg(self.dst, 0, 1)));
        self.f.push(I::I32Store16(memarg(self.dst, 0, 2)));
        self.f.extend([I::Br(0), I::End, I::End]);
        self.f.free(j);
    }
}
