//! Decoding and encoding code points in the transcoders' Wasm: UTF-8 and
//! UTF-16 decoders that trap on invalid input, UTF-8 validation, and the
//! UTF-8 and UTF-16 encoders.

use super::super::func::{memarg, Local, Operand};
use super::{Gen, Source};
use crate::contract::AdapterTrap;
use crate::flatten::CoreType::I32;
use wasm_encoder::{BlockType, Instruction as I};

impl Gen {
    /// Run `body` once per code point of the source, decoded (and
    /// validated) into `cp`.
    pub(super) fn each_code_point(
        &mut self,
        from: Source,
        cp: Local,
        mut body: impl FnMut(&mut Gen),
    ) {
        let p = self.f.local(I32);
        let rem = self.f.local(I32);
        self.f.get(self.sp);
        self.f.set(p);
        self.f.get(self.n);
        self.f.set(rem);
        self.f.push(I::Block(BlockType::Empty));
        self.f.push(I::Loop(BlockType::Empty));
        self.f.get(rem);
        self.f.extend([I::I32Eqz, I::BrIf(1)]);
        self.decode(from, p, rem, cp);
        body(self);
        self.f.extend([I::Br(0), I::End, I::End]);
        self.f.free(p);
        self.f.free(rem);
    }

    /// Decode one code point at `p` (with `rem > 0` code units left) into
    /// `cp`, advancing `p` and `rem`.
    fn decode(&mut self, from: Source, p: Local, rem: Local, cp: Local) {
        match from {
            Source::Latin1 => {
                self.f.get(p);
                self.f.push(I::I32Load8U(memarg(self.src, 0, 1)));
                self.f.set(cp);
                self.bump(p, 1);
                self.bump(rem, -1);
            }
            Source::Utf16 | Source::CompactUtf16 => self.decode_utf16(p, rem, cp),
            Source::Utf8 => self.decode_utf8(p, rem, cp),
        }
    }

    fn decode_utf16(&mut self, p: Local, rem: Local, cp: Local) {
        let trap = AdapterTrap::InvalidUtf16;
        self.f.get(p);
        self.f.push(I::I32Load16U(memarg(self.src, 0, 2)));
        self.f.tee(cp);
        self.f.extend([
            I::I32Const(0xF800),
            I::I32And,
            I::I32Const(0xD800),
            I::I32Eq,
            I::If(BlockType::Empty),
        ]);
        // A surrogate: it must be a high one followed by a low one.
        self.f.get(cp);
        self.f.extend([I::I32Const(0xDC00), I::I32GeU]);
        self.f.trap_if(trap);
        self.f.get(rem);
        self.f.extend([I::I32Const(2), I::I32LtU]);
        self.f.trap_if(trap);
        let low = self.f.local(I32);
        self.f.get(p);
        self.f.push(I::I32Load16U(memarg(self.src, 2, 2)));
        self.f.tee(low);
        self.f.extend([
            I::I32Const(0xFC00),
            I::I32And,
            I::I32Const(0xDC00),
            I::I32Ne,
        ]);
        self.f.trap_if(trap);
        // cp = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
        self.f.get(cp);
        self.f.extend([
            I::I32Const(0xD800),
            I::I32Sub,
            I::I32Const(10),
            I::I32Shl,
            I::LocalGet(low.idx),
            I::I32Const(0xDC00),
            I::I32Sub,
            I::I32Add,
            I::I32Const(0x10000),
            I::I32Add,
        ]);
        self.f.set(cp);
        self.f.free(low);
        self.bump(p, 4);
        self.bump(rem, -2);
        self.f.push(I::Else);
        self.bump(p, 2);
        self.bump(rem, -1);
        self.f.push(I::End);
    }

    fn decode_utf8(&mut self, p: Local, rem: Local, cp: Local) {
        let trap = AdapterTrap::InvalidUtf8;
        let load = |g: &mut Gen, offset: u32, into: Local| {
            g.f.get(p);
            g.f.push(I::I32Load8U(memarg(g.src, offset, 1)));
            g.f.set(into);
        };
        // (b & 0xC0) ^ 0x80: zero for a continuation byte.
        let not_continuation = |g: &mut Gen, b: Local| {
            g.f.get(b);
            g.f.extend([I::I32Const(0xC0), I::I32And, I::I32Const(0x80), I::I32Xor]);
        };
        let need = |g: &mut Gen, count: i32| {
            g.f.get(rem);
            g.f.extend([I::I32Const(count), I::I32LtU]);
            g.f.trap_if(trap);
        };
        // cp = (cp << 6) | (b & 0x3F)
        let shift_in = |g: &mut Gen, b: Local| {
            g.f.get(cp);
            g.f.extend([I::I32Const(6), I::I32Shl, I::LocalGet(b.idx)]);
            g.f.extend([I::I32Const(0x3F), I::I32And, I::I32Or]);
            g.f.set(cp);
        };
        let adv = self.f.local(I32);
        let b1 = self.f.local(I32);
        let b2 = self.f.local(I32);
        let b3 = self.f.local(I32);
        load(self, 0, cp);
        self.f.get(cp);
        self.f
            .extend([I::I32Const(0x80), I::I32LtU, I::If(BlockType::Empty)]);
        self.set_const(adv, 1);
        self.f.push(I::Else);
        {
            // Lead bytes 0x80..0xC1 are continuations or overlong.
            self.f.get(cp);
            self.f.extend([I::I32Const(0xC2), I::I32LtU]);
            self.f.trap_if(trap);
            self.f.get(cp);
            self.f
                .extend([I::I32Const(0xE0), I::I32LtU, I::If(BlockType::Empty)]);
            need(self, 2);
            load(self, 1, b1);
            not_continuation(self, b1);
            self.f.trap_if(trap);
            self.f.get(cp);
            self.f.extend([I::I32Const(0x1F), I::I32And]);
            self.f.set(cp);
            shift_in(self, b1);
            self.set_const(adv, 2);
            self.f.push(I::Else);
            {
                self.f.get(cp);
                self.f
                    .extend([I::I32Const(0xF0), I::I32LtU, I::If(BlockType::Empty)]);
                need(self, 3);
                load(self, 1, b1);
                load(self, 2, b2);
                not_continuation(self, b1);
                not_continuation(self, b2);
                self.f.push(I::I32Or);
                self.f.trap_if(trap);
                self.f.get(cp);
                self.f.extend([I::I32Const(0x0F), I::I32And]);
                self.f.set(cp);
                shift_in(self, b1);
                shift_in(self, b2);
                // Overlong, or a surrogate.
                self.f.get(cp);
                self.f.extend([I::I32Const(0x800), I::I32LtU]);
                self.f.get(cp);
                self.f.extend([
                    I::I32Const(0xF800),
                    I::I32And,
                    I::I32Const(0xD800),
                    I::I32Eq,
                    I::I32Or,
                ]);
                self.f.trap_if(trap);
                self.set_const(adv, 3);
                self.f.push(I::Else);
                {
                    self.f.get(cp);
                    self.f.extend([I::I32Const(0xF5), I::I32GeU]);
                    self.f.trap_if(trap);
                    need(self, 4);
                    load(self, 1, b1);
                    load(self, 2, b2);
                    load(self, 3, b3);
                    not_continuation(self, b1);
                    not_continuation(self, b2);
                    self.f.push(I::I32Or);
                    not_continuation(self, b3);
                    self.f.push(I::I32Or);
                    self.f.trap_if(trap);
                    self.f.get(cp);
                    self.f.extend([I::I32Const(0x07), I::I32And]);
                    self.f.set(cp);
                    shift_in(self, b1);
                    shift_in(self, b2);
                    shift_in(self, b3);
                    // Overlong, or beyond U+10FFFF.
                    self.f.get(cp);
                    self.f.extend([I::I32Const(0x10000), I::I32Sub]);
                    self.f.extend([I::I32Const(0x100000), I::I32GeU]);
                    self.f.trap_if(trap);
                    self.set_const(adv, 4);
                }
                self.f.push(I::End);
            }
            self.f.push(I::End);
        }
        self.f.push(I::End);
        self.assign(p, Operand::Local(p.idx), Operand::Local(adv.idx), I::I32Add);
        self.assign(
            rem,
            Operand::Local(rem.idx),
            Operand::Local(adv.idx),
            I::I32Sub,
        );
        for l in [adv, b1, b2, b3] {
            self.f.free(l);
        }
    }

    /// Validate UTF-8 with a fast path over runs of 8 ASCII bytes.
    pub(super) fn validate_utf8(&mut self) {
        let p = self.f.local(I32);
        let rem = self.f.local(I32);
        let cp = self.f.local(I32);
        self.f.get(self.sp);
        self.f.set(p);
        self.f.get(self.n);
        self.f.set(rem);
        self.f.push(I::Block(BlockType::Empty)); // exit
        self.f.push(I::Loop(BlockType::Empty)); // next code point
        self.f.push(I::Block(BlockType::Empty)); // slow
        self.f.push(I::Loop(BlockType::Empty)); // fast
        self.f.get(rem);
        self.f.extend([I::I32Const(8), I::I32LtU, I::BrIf(1)]);
        self.f.get(p);
        self.f.extend([
            I::I64Load(memarg(self.src, 0, 1)),
            I::I64Const(0x8080_8080_8080_8080_u64 as i64),
            I::I64And,
            I::I64Eqz,
            I::I32Eqz,
            I::BrIf(1),
        ]);
        self.bump(p, 8);
        self.bump(rem, -8);
        self.f.extend([I::Br(0), I::End, I::End]);
        self.f.get(rem);
        self.f.extend([I::I32Eqz, I::BrIf(1)]);
        self.decode_utf8(p, rem, cp);
        self.f.extend([I::Br(0), I::End, I::End]);
        for l in [p, rem, cp] {
            self.f.free(l);
        }
    }

    /// Encode `cp` as UTF-8 at `q` in the destination, advancing `q`.
    pub(super) fn encode_utf8(&mut self, q: Local, cp: Local) {
        let store = |g: &mut Gen, offset: u32, shift: i32, mark: i32, mask: i32| {
            g.f.get(q);
            g.f.get(cp);
            if shift > 0 {
                g.f.extend([I::I32Const(shift), I::I32ShrU]);
            }
            if mask != 0 {
                g.f.extend([I::I32Const(mask), I::I32And]);
            }
            if mark != 0 {
                g.f.extend([I::I32Const(mark), I::I32Or]);
            }
            g.f.push(I::I32Store8(memarg(g.dst, offset, 1)));
        };
        self.f.get(cp);
        self.f
            .extend([I::I32Const(0x80), I::I32LtU, I::If(BlockType::Empty)]);
        store(self, 0, 0, 0, 0);
        self.bump(q, 1);
        self.f.push(I::Else);
        self.f.get(cp);
        self.f
            .extend([I::I32Const(0x800), I::I32LtU, I::If(BlockType::Empty)]);
        store(self, 0, 6, 0xC0, 0);
        store(self, 1, 0, 0x80, 0x3F);
        self.bump(q, 2);
        self.f.push(I::Else);
        self.f.get(cp);
        self.f
            .extend([I::I32Const(0x10000), I::I32LtU, I::If(BlockType::Empty)]);
        store(self, 0, 12, 0xE0, 0);
        store(self, 1, 6, 0x80, 0x3F);
        store(self, 2, 0, 0x80, 0x3F);
        self.bump(q, 3);
        self.f.push(I::Else);
        store(self, 0, 18, 0xF0, 0);
        store(self, 1, 12, 0x80, 0x3F);
        store(self, 2, 6, 0x80, 0x3F);
        store(self, 3, 0, 0x80, 0x3F);
        self.bump(q, 4);
        self.f.extend([I::End, I::End, I::End]);
    }

    /// Encode `cp` as UTF-16 at `q` in the destination, advancing `q`.
    pub(super) fn encode_utf16(&mut self, q: Local, cp: Local) {
        self.f.get(cp);
        self.f
            .extend([I::I32Const(0x10000), I::I32LtU, I::If(BlockType::Empty)]);
        self.f.get(q);
        self.f.get(cp);
        self.f.push(I::I32Store16(memarg(self.dst, 0, 2)));
        self.bump(q, 2);
        self.f.push(I::Else);
        self.f.get(q);
        self.f.get(cp);
        self.f.extend([
            I::I32Const(0x10000),
            I::I32Sub,
            I::I32Const(10),
            I::I32ShrU,
            I::I32Const(0xD800),
            I::I32Or,
            I::I32Store16(memarg(self.dst, 0, 2)),
        ]);
        self.f.get(q);
        self.f.get(cp);
        self.f.extend([
            I::I32Const(0x3FF),
            I::I32And,
            I::I32Const(0xDC00),
            I::I32Or,
            I::I32Store16(memarg(self.dst, 2, 2)),
        ]);
        self.bump(q, 4);
        self.f.push(I::End);
    }
}
