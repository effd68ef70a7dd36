//! WAT that prints a value the way `value::render` writes it, reading it
//! the way the canonical ABI lays it out: from flat locals (with variant
//! slots' joined types) or from memory. Each test module (caller and
//! callee) carries these printers for its own values; they never see the
//! other side's memory, so what they print is what crossed.

use wasmlink_adapter::layout::{
    discriminant_size, elem_size, field_offsets, flags_size, flags_words, payload_offset,
};
use wasmlink_adapter::{flatten_type, CoreType, StringEncoding, ValType};

/// Where the printed value is.
#[derive(Clone, Debug)]
pub enum At {
    /// Locals (by name) holding the flat values, with their slot types.
    Flat(Vec<(String, CoreType)>),
    /// Memory at local `$addr` plus an offset.
    Mem(String, u32),
}

/// A function body being written: extra locals and instructions.
#[derive(Default)]
pub struct Body {
    pub locals: Vec<(String, &'static str)>,
    pub code: String,
    counter: usize,
}

impl Body {
    pub fn local(&mut self, ty: &'static str) -> String {
        self.counter += 1;
        let name = format!("$t{}", self.counter);
        self.locals.push((name.clone(), ty));
        name
    }

    pub fn line(&mut self, s: &str) {
        self.code.push_str(s);
        self.code.push('\n');
    }

    /// Print a literal.
    pub fn text(&mut self, s: &str) {
        for b in s.bytes() {
            self.line(&format!("(call $out_byte (i32.const {b}))"));
        }
    }

    pub fn locals_wat(&self) -> String {
        self.locals
            .iter()
            .map(|(n, t)| format!("(local {n} {t})"))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// An expression reading a scalar of natural type `want` (`bytes` wide
    /// in memory, sign-extended if `signed`).
    fn read(&self, at: &At, want: CoreType, bytes: u32, signed: bool) -> String {
        match at {
            At::Flat(slots) => {
                coerce_from(&format!("(local.get {})", slots[0].0), slots[0].1, want)
            }
            At::Mem(addr, off) => {
                let op = match (want, bytes, signed) {
                    (CoreType::I32, 1, false) => "i32.load8_u",
                    (CoreType::I32, 1, true) => "i32.load8_s",
                    (CoreType::I32, 2, false) => "i32.load16_u",
                    (CoreType::I32, 2, true) => "i32.load16_s",
                    (CoreType::I32, _, _) => "i32.load",
                    (CoreType::I64, _, _) => "i64.load",
                    (CoreType::F32, _, _) => "f32.load",
                    (CoreType::F64, _, _) => "f64.load",
                };
                format!("({op} offset={off} (local.get {addr}))")
            }
        }
    }

    /// Print the value of `ty` at `at`, as the side with `enc` holds it.
    pub fn print(&mut self, ty: &ValType, at: &At, enc: StringEncoding) {
        use CoreType::*;
        match ty {
            ValType::Bool => {
                let v = self.read(at, I32, 1, false);
                self.line(&format!("(if {v} (then"));
                self.text("true");
                self.line(") (else");
                self.text("false");
                self.line("))");
            }
            ValType::U8 | ValType::U16 | ValType::U32 => {
                let bytes = elem_size(ty);
                let mut v = self.read(at, I32, bytes, false);
                if bytes < 4 {
                    v = format!("(i32.and {v} (i32.const {}))", (1u32 << (8 * bytes)) - 1);
                }
                self.line(&format!("(call $out_u64 (i64.extend_i32_u {v}))"));
            }
            ValType::S8 | ValType::S16 | ValType::S32 => {
                let bytes = elem_size(ty);
                let mut v = self.read(at, I32, bytes, true);
                if matches!(at, At::Flat(_)) && bytes < 4 {
                    v = format!("(i32.extend{}_s {v})", 8 * bytes);
                }
                self.line(&format!("(call $out_s64 (i64.extend_i32_s {v}))"));
            }
            ValType::U64 => {
                let v = self.read(at, I64, 8, false);
                self.line(&format!("(call $out_u64 {v})"));
            }
            ValType::S64 => {
                let v = self.read(at, I64, 8, false);
                self.line(&format!("(call $out_s64 {v})"));
            }
            ValType::F32 => {
                let v = self.read(at, F32, 4, false);
                self.text("f32:");
                self.line(&format!(
                    "(call $out_hex (i64.extend_i32_u (i32.reinterpret_f32 {v})) (i32.const 8))"
                ));
            }
            ValType::F64 => {
                let v = self.read(at, F64, 8, false);
                self.text("f64:");
                self.line(&format!(
                    "(call $out_hex (i64.reinterpret_f64 {v}) (i32.const 16))"
                ));
            }
            ValType::Char => {
                let v = self.read(at, I32, 4, false);
                self.text("c:");
                self.line(&format!(
                    "(call $out_hex (i64.extend_i32_u {v}) (i32.const 6))"
                ));
            }
            ValType::String => {
                let (p, n) = self.pointer_pair(at);
                match enc {
                    StringEncoding::Utf8 => {
                        self.line(&format!("(call $out_s8 (local.get {p}) (local.get {n}))"))
                    }
                    StringEncoding::Utf16 => {
                        self.line(&format!("(call $out_s16 (local.get {p}) (local.get {n}))"))
                    }
                    StringEncoding::Latin1Utf16 => self.line(&format!(
                        "(call $out_compact (local.get {p}) (local.get {n}))"
                    )),
                }
            }
            ValType::List(elem) => {
                let (p, n) = self.pointer_pair(at);
                let i = self.local("i32");
                let size = elem_size(elem);
                self.text("[");
                self.line(&format!("(local.set {i} (i32.const 0))"));
                self.line("(block (loop");
                self.line(&format!(
                    "(br_if 1 (i32.ge_u (local.get {i}) (local.get {n})))"
                ));
                self.line(&format!("(if (local.get {i}) (then"));
                self.text(", ");
                self.line("))");
                let e = self.local("i32");
                self.line(&format!(
                    "(local.set {e} (i32.add (local.get {p}) (i32.mul (local.get {i}) (i32.const {size}))))"
                ));
                self.print(elem, &At::Mem(e, 0), enc);
                self.line(&format!(
                    "(local.set {i} (i32.add (local.get {i}) (i32.const 1)))"
                ));
                self.line("(br 0)))");
                self.text("]");
            }
            ValType::Record(_) | ValType::Tuple(_) => {
                let fields = ty.record_fields().unwrap_or_default();
                let (open, close) = if matches!(ty, ValType::Record(_)) {
                    ("{", "}")
                } else {
                    ("(", ")")
                };
                self.text(open);
                self.print_fields(&fields, at, enc);
                self.text(close);
            }
            ValType::Variant(_)
            | ValType::Enum(_)
            | ValType::Option(_)
            | ValType::Result { .. } => self.print_variant(ty, at, enc),
            ValType::Flags(labels) => {
                self.text("flags[");
                let words = flags_words(labels.len());
                let bytes = flags_size(labels.len()).min(4);
                for w in 0..words {
                    if w > 0 {
                        self.text(",");
                    }
                    let part = match at {
                        At::Flat(slots) => At::Flat(vec![slots[w as usize].clone()]),
                        At::Mem(a, off) => At::Mem(a.clone(), off + 4 * w),
                    };
                    let v = self.read(&part, I32, bytes, false);
                    self.line(&format!(
                        "(call $out_hex (i64.extend_i32_u {v}) (i32.const 8))"
                    ));
                }
                self.text("]");
            }
            ValType::Own(_) | ValType::Borrow(_) => {
                let v = self.read(at, I32, 4, false);
                self.text("h:");
                self.line(&format!("(call $out_u64 (i64.extend_i32_u {v}))"));
            }
        }
    }

    /// Print the comma-separated values of a record-like sequence.
    pub fn print_fields(&mut self, fields: &[&ValType], at: &At, enc: StringEncoding) {
        let offsets = field_offsets(fields.iter().copied());
        let mut slot = 0;
        for (i, (f, off)) in fields.iter().zip(offsets).enumerate() {
            if i > 0 {
                self.text(", ");
            }
            let n = flatten_type(f).len();
            let part = match at {
                At::Flat(slots) => At::Flat(slots[slot..slot + n].to_vec()),
                At::Mem(a, base) => At::Mem(a.clone(), base + off),
            };
            slot += n;
            self.print(f, &part, enc);
        }
    }

    fn print_variant(&mut self, ty: &ValType, at: &At, enc: StringEncoding) {
        let cases = ty.variant_cases().unwrap_or_default();
        let d = self.local("i32");
        let v = self.read(at, CoreType::I32, discriminant_size(cases.len()), false);
        self.line(&format!("(local.set {d} {v})"));
        let payload_at = |at: &At, n: usize| match at {
            At::Flat(slots) => At::Flat(slots[1..1 + n].to_vec()),
            At::Mem(a, off) => At::Mem(a.clone(), off + payload_offset(&cases)),
        };
        for (i, case) in cases.iter().enumerate() {
            self.line(&format!(
                "(if (i32.eq (local.get {d}) (i32.const {i})) (then"
            ));
            let name = match ty {
                ValType::Option(_) => {
                    if i == 0 {
                        "none".to_string()
                    } else {
                        "some".to_string()
                    }
                }
                ValType::Result { .. } => {
                    if i == 0 {
                        "ok".to_string()
                    } else {
                        "err".to_string()
                    }
                }
                _ => format!("#{i}"),
            };
            self.text(&name);
            if let Some(t) = case {
                self.text("(");
                let part = payload_at(at, flatten_type(t).len());
                self.print(t, &part, enc);
                self.text(")");
            }
            self.line("))");
        }
    }

    /// Read a string's or list's pointer and length into two new locals.
    fn pointer_pair(&mut self, at: &At) -> (String, String) {
        let p = self.local("i32");
        let n = self.local("i32");
        match at {
            At::Flat(slots) => {
                let a = coerce_from(
                    &format!("(local.get {})", slots[0].0),
                    slots[0].1,
                    CoreType::I32,
                );
                let b = coerce_from(
                    &format!("(local.get {})", slots[1].0),
                    slots[1].1,
                    CoreType::I32,
                );
                self.line(&format!("(local.set {p} {a}) (local.set {n} {b})"));
            }
            At::Mem(addr, off) => {
                self.line(&format!(
                    "(local.set {p} (i32.load offset={off} (local.get {addr})))"
                ));
                self.line(&format!(
                    "(local.set {n} (i32.load offset={} (local.get {addr})))",
                    off + 4
                ));
            }
        }
        (p, n)
    }
}

/// `CoerceValueIter`: a value carried in a slot of type `have`, as `want`.
fn coerce_from(e: &str, have: CoreType, want: CoreType) -> String {
    use CoreType::*;
    match (have, want) {
        _ if have == want => e.to_string(),
        (I32, F32) => format!("(f32.reinterpret_i32 {e})"),
        (I64, I32) => format!("(i32.wrap_i64 {e})"),
        (I64, F32) => format!("(f32.reinterpret_i32 (i32.wrap_i64 {e}))"),
        (I64, F64) => format!("(f64.reinterpret_i64 {e})"),
        _ => panic!("no join carries {want:?} in {have:?}"),
    }
}

pub fn wat_type(t: CoreType) -> &'static str {
    match t {
        CoreType::I32 => "i32",
        CoreType::I64 => "i64",
        CoreType::F32 => "f32",
        CoreType::F64 => "f64",
    }
}
