//! Copying a `string`: read its pointer and length, pick the transcoder
//! for the two sides' encodings (at run time for a `latin1+utf16` source,
//! whose length's tag says whether this string is Latin-1 or UTF-16), and
//! write the new pointer and length.

use super::transcode::{Source, Transcode, UTF16_TAG};
use super::translate::{Dst, Src, Translator};
use crate::flatten::CoreType;
use crate::options::StringEncoding;
use wasm_encoder::{BlockType, Instruction as I};

impl Translator<'_> {
    pub fn string(&mut self, src: Src, dst: Dst) {
        let from = self.ctx.side(self.dir.src).encoding;
        let to = self.ctx.side(self.dir.dst).encoding;
        let (ptr, len) = self.read_pointer_pair(src);
        let out_ptr = self.f.local(CoreType::I32);
        let out_len = self.f.local(CoreType::I32);
        let call = |t: &mut Self, source: Source, untag: bool| {
            let func = t.ctx.transcoder(Transcode { from: source, to }, t.dir);
            t.f.get(ptr);
            t.f.get(len);
            if untag {
                t.f.extend([I::I32Const(!UTF16_TAG as i32), I::I32And]);
            }
            t.f.push(I::Call(func));
            t.f.set(out_len);
            t.f.set(out_ptr);
        };
        match from {
            StringEncoding::Utf8 => call(self, Source::Utf8, false),
            StringEncoding::Utf16 => call(self, Source::Utf16, false),
            StringEncoding::Latin1Utf16 => {
                self.f.get(len);
                self.f.extend([
                    I::I32Const(UTF16_TAG as i32),
                    I::I32And,
                    I::If(BlockType::Empty),
                ]);
                call(self, Source::CompactUtf16, true);
                self.f.push(I::Else);
                call(self, Source::Latin1, false);
                self.f.push(I::End);
            }
        }
        self.write_pointer_pair(dst, out_ptr, out_len);
        for l in [ptr, len, out_ptr, out_len] {
            self.f.free(l);
        }
    }
}
