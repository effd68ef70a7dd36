//! Test values: sample values for a type, their canonical-ABI image in a
//! memory (for the side that passes them), their flat form, how the
//! receiving side's printer shows them, and the `realloc` calls the spec
//! makes to receive them. This is an independent, direct transcription of
//! the spec's `store`/`lower_flat`/`store_string_*` in Rust, so the
//! expected outputs do not come from the generator under test.

use wasmlink_adapter::layout::{
    align_to, alignment, discriminant_size, elem_size, field_offsets, flags_size, flags_words,
    payload_offset,
};
use wasmlink_adapter::{flatten_type, CoreType, StringEncoding, ValType};

/// A component value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Bool(bool),
    Int(i128),
    F32(u32),
    F64(u64),
    Char(char),
    /// A string; `true` makes a `latin1+utf16` producer store it as UTF-16
    /// even if Latin-1 would do.
    Str(String, bool),
    List(Vec<Value>),
    /// Record and tuple fields.
    Fields(Vec<Value>),
    /// Variant-like: case number and payload.
    Case(u32, Option<Box<Value>>),
    /// Flags words.
    Flags(Vec<u32>),
}

/// A flat core value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Flat {
    I32(u32),
    I64(u64),
    F32(u32),
    F64(u64),
}

impl Flat {
    pub fn wat(self) -> String {
        match self {
            Flat::I32(v) => format!("(i32.const {})", v as i32),
            Flat::I64(v) => format!("(i64.const {})", v as i64),
            Flat::F32(v) => format!("(f32.reinterpret_i32 (i32.const {}))", v as i32),
            Flat::F64(v) => format!("(f64.reinterpret_i64 (i64.const {}))", v as i64),
        }
    }
}

const STRINGS: [&str; 9] = [
    "hello",
    "",
    "héllo wörld",
    "日本語のテキスト",
    "emoji 😀 and 𝄞",
    "ÿþý Latin-1 only",
    "mixed ÿ and Ā",
    "a",
    "tab\tnewline\n",
];

const CHARS: [char; 5] = ['A', 'é', '語', '😀', '\u{10FFFF}'];

/// A value of `ty`; `seed` picks among interesting ones.
pub fn sample(ty: &ValType, seed: u64) -> Value {
    let pick = |n: u64| (seed.wrapping_mul(2654435761).wrapping_add(seed / 7) % n) as usize;
    match ty {
        ValType::Bool => Value::Bool(seed % 2 == 1),
        ValType::S8 => Value::Int([-128, -1, 0, 5, 127][pick(5)]),
        ValType::U8 => Value::Int([0, 1, 200, 255][pick(4)]),
        ValType::S16 => Value::Int([-32768, -300, 0, 32767][pick(4)]),
        ValType::U16 => Value::Int([0, 65535, 1234][pick(3)]),
        ValType::S32 => Value::Int([i32::MIN as i128, -7, 0, i32::MAX as i128][pick(4)]),
        ValType::U32 => Value::Int([0, 1, u32::MAX as i128, 0x8000_0000][pick(4)]),
        ValType::S64 => Value::Int([i64::MIN as i128, -1, 42, i64::MAX as i128][pick(4)]),
        ValType::U64 => Value::Int([0, u64::MAX as i128, 1 << 40][pick(3)]),
        ValType::F32 => Value::F32([1.5f32, -0.0, f32::INFINITY, 3.25e-20][pick(4)].to_bits()),
        ValType::F64 => Value::F64([2.5f64, -1e300, f64::NEG_INFINITY, 0.1][pick(4)].to_bits()),
        ValType::Char => Value::Char(CHARS[pick(CHARS.len() as u64)]),
        ValType::String => Value::Str(
            STRINGS[pick(STRINGS.len() as u64)].to_string(),
            seed % 5 == 3,
        ),
        ValType::List(elem) => {
            let len = pick(4);
            Value::List(
                (0..len)
                    .map(|i| sample(elem, seed * 31 + i as u64 + 1))
                    .collect(),
            )
        }
        ValType::Record(_) | ValType::Tuple(_) => Value::Fields(
            ty.record_fields()
                .unwrap_or_default()
                .into_iter()
                .enumerate()
                .map(|(i, t)| sample(t, seed * 17 + i as u64 + 3))
                .collect(),
        ),
        ValType::Variant(_) | ValType::Enum(_) | ValType::Option(_) | ValType::Result { .. } => {
            let cases = ty.variant_cases().unwrap_or_default();
            let case = pick(cases.len() as u64);
            Value::Case(
                case as u32,
                cases[case].map(|t| Box::new(sample(t, seed * 13 + 5))),
            )
        }
        ValType::Flags(labels) => {
            let words = flags_words(labels.len()) as usize;
            Value::Flags(
                (0..words)
                    .map(|w| {
                        let bits = (labels.len() - 32 * w).min(32);
                        let v = (seed as u32)
                            .wrapping_mul(0x9E37_79B9)
                            .rotate_left(w as u32 * 7);
                        if bits == 32 {
                            v
                        } else {
                            v & ((1u32 << bits) - 1)
                        }
                    })
                    .collect(),
            )
        }
        ValType::Own(_) | ValType::Borrow(_) => unreachable!("handles are tested on their own"),
    }
}

/// How a string is held in a side's memory.
pub fn encode_string(s: &str, forced_utf16: bool, enc: StringEncoding) -> (Vec<u8>, u32, u32) {
    // (bytes, length field, alignment)
    match enc {
        StringEncoding::Utf8 => (s.as_bytes().to_vec(), s.len() as u32, 1),
        StringEncoding::Utf16 => {
            let units: Vec<u16> = s.encode_utf16().collect();
            (units_bytes(&units), units.len() as u32, 2)
        }
        StringEncoding::Latin1Utf16 => {
            if !forced_utf16 && s.chars().all(|c| (c as u32) < 256) {
                (
                    s.chars().map(|c| c as u8).collect(),
                    s.chars().count() as u32,
                    2,
                )
            } else {
                let units: Vec<u16> = s.encode_utf16().collect();
                (units_bytes(&units), units.len() as u32 | 1 << 31, 2)
            }
        }
    }
}

fn units_bytes(units: &[u16]) -> Vec<u8> {
    units.iter().flat_map(|u| u.to_le_bytes()).collect()
}

/// A memory image starting at `base`: values are stored in it as the spec
/// stores them, strings and lists bump-allocated after.
pub struct Image {
    pub base: u32,
    pub bytes: Vec<u8>,
    pub enc: StringEncoding,
}

impl Image {
    pub fn new(base: u32, enc: StringEncoding) -> Image {
        Image {
            base,
            bytes: Vec::new(),
            enc,
        }
    }

    /// Reserve `size` bytes aligned to `align`; returns the address.
    pub fn alloc(&mut self, align: u32, size: u32) -> u32 {
        let at = align_to(self.base + self.bytes.len() as u32, align.max(1));
        self.bytes.resize((at + size - self.base) as usize, 0);
        at
    }

    fn put(&mut self, addr: u32, data: &[u8]) {
        let i = (addr - self.base) as usize;
        self.bytes[i..i + data.len()].copy_from_slice(data);
    }

    /// Store `v` of type `ty` at `addr` (already reserved).
    pub fn store(&mut self, v: &Value, ty: &ValType, addr: u32) {
        match (ty, v) {
            (ValType::Bool, Value::Bool(b)) => self.put(addr, &[*b as u8]),
            (ValType::F32, Value::F32(bits)) => self.put(addr, &bits.to_le_bytes()),
            (ValType::F64, Value::F64(bits)) => self.put(addr, &bits.to_le_bytes()),
            (ValType::Char, Value::Char(c)) => self.put(addr, &(*c as u32).to_le_bytes()),
            (_, Value::Int(i)) => {
                let n = elem_size(ty) as usize;
                self.put(addr, &i.to_le_bytes()[..n]);
            }
            (ValType::String, Value::Str(s, forced)) => {
                let (ptr, len) = self.store_string(s, *forced);
                self.put(addr, &ptr.to_le_bytes());
                self.put(addr + 4, &len.to_le_bytes());
            }
            (ValType::List(elem), Value::List(items)) => {
                let (ptr, len) = self.store_list(elem, items);
                self.put(addr, &ptr.to_le_bytes());
                self.put(addr + 4, &len.to_le_bytes());
            }
            (_, Value::Fields(vals)) => {
                let types = ty.record_fields().expect("record value of a record type");
                self.store_fields(&types, vals, addr);
            }
            (_, Value::Case(case, payload)) => {
                let cases = ty.variant_cases().expect("case value of a variant type");
                let n = discriminant_size(cases.len()) as usize;
                self.put(addr, &case.to_le_bytes()[..n]);
                if let (Some(t), Some(p)) = (cases[*case as usize], payload) {
                    self.store(p, t, addr + payload_offset(&cases));
                }
            }
            (ValType::Flags(labels), Value::Flags(words)) => {
                let size = flags_size(labels.len()) as usize;
                if size <= 4 {
                    self.put(addr, &words[0].to_le_bytes()[..size]);
                } else {
                    for (i, w) in words.iter().enumerate() {
                        self.put(addr + 4 * i as u32, &w.to_le_bytes());
                    }
                }
            }
            _ => panic!("value {v:?} is not of type {ty}"),
        }
    }

    pub fn store_fields(&mut self, types: &[&ValType], vals: &[Value], addr: u32) {
        for ((t, v), off) in types
            .iter()
            .zip(vals)
            .zip(field_offsets(types.iter().copied()))
        {
            self.store(v, t, addr + off);
        }
    }

    pub fn store_string(&mut self, s: &str, forced: bool) -> (u32, u32) {
        let (bytes, len, align) = encode_string(s, forced, self.enc);
        let ptr = self.alloc(align, bytes.len() as u32);
        self.put(ptr, &bytes);
        (ptr, len)
    }

    pub fn store_list(&mut self, elem: &ValType, items: &[Value]) -> (u32, u32) {
        let size = elem_size(elem);
        let ptr = self.alloc(alignment(elem), size * items.len() as u32);
        for (i, item) in items.iter().enumerate() {
            self.store(item, elem, ptr + i as u32 * size);
        }
        (ptr, items.len() as u32)
    }

    /// `lower_flat`: the core values of `v`, strings and lists stored here.
    pub fn lower_flat(&mut self, v: &Value, ty: &ValType) -> Vec<Flat> {
        match (ty, v) {
            (ValType::Bool, Value::Bool(b)) => vec![Flat::I32(*b as u32)],
            (ValType::S64 | ValType::U64, Value::Int(i)) => vec![Flat::I64(*i as u64)],
            (_, Value::Int(i)) => vec![Flat::I32(*i as i32 as u32)],
            (_, Value::F32(bits)) => vec![Flat::F32(*bits)],
            (_, Value::F64(bits)) => vec![Flat::F64(*bits)],
            (_, Value::Char(c)) => vec![Flat::I32(*c as u32)],
            (_, Value::Str(s, forced)) => {
                let (p, l) = self.store_string(s, *forced);
                vec![Flat::I32(p), Flat::I32(l)]
            }
            (ValType::List(elem), Value::List(items)) => {
                let (p, l) = self.store_list(elem, items);
                vec![Flat::I32(p), Flat::I32(l)]
            }
            (_, Value::Fields(vals)) => ty
                .record_fields()
                .expect("record type")
                .iter()
                .zip(vals)
                .flat_map(|(t, v)| self.lower_flat(v, t))
                .collect(),
            (_, Value::Case(case, payload)) => {
                let joined = flatten_type(ty);
                let mut out = vec![Flat::I32(*case)];
                let cases = ty.variant_cases().expect("variant type");
                if let (Some(t), Some(p)) = (cases[*case as usize], payload) {
                    for (fv, want) in self.lower_flat(p, t).into_iter().zip(&joined[1..]) {
                        out.push(coerce(fv, *want));
                    }
                }
                for want in &joined[out.len()..] {
                    out.push(match want {
                        CoreType::I32 => Flat::I32(0),
                        CoreType::I64 => Flat::I64(0),
                        CoreType::F32 => Flat::F32(0),
                        CoreType::F64 => Flat::F64(0),
                    });
                }
                out
            }
            (_, Value::Flags(words)) => words.iter().map(|w| Flat::I32(*w)).collect(),
            _ => panic!("value {v:?} is not of type {ty}"),
        }
    }
}

/// `lower_flat_variant`'s coercion of a payload value into a joined slot.
fn coerce(v: Flat, want: CoreType) -> Flat {
    match (v, want) {
        (Flat::I32(x), CoreType::I64) => Flat::I64(x as u64),
        (Flat::F32(x), CoreType::I32) => Flat::I32(x),
        (Flat::F32(x), CoreType::I64) => Flat::I64(x as u64),
        (Flat::F64(x), CoreType::I64) => Flat::I64(x),
        (v, _) => v,
    }
}

/// How the printer of a side with encoding `enc` shows `v`.
pub fn render(v: &Value, ty: &ValType, enc: StringEncoding) -> String {
    match (ty, v) {
        (_, Value::Bool(b)) => b.to_string(),
        (_, Value::Int(i)) => i.to_string(),
        (_, Value::F32(bits)) => format!("f32:{bits:08x}"),
        (_, Value::F64(bits)) => format!("f64:{bits:016x}"),
        (_, Value::Char(c)) => format!("c:{:06x}", *c as u32),
        (_, Value::Str(s, _)) => render_received_string(s, enc),
        (ValType::List(elem), Value::List(items)) => format!(
            "[{}]",
            items
                .iter()
                .map(|i| render(i, elem, enc))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        (ValType::Record(_), Value::Fields(vals)) | (ValType::Tuple(_), Value::Fields(vals)) => {
            let types = ty.record_fields().expect("record type");
            let inner = types
                .iter()
                .zip(vals)
                .map(|(t, v)| render(v, t, enc))
                .collect::<Vec<_>>()
                .join(", ");
            if matches!(ty, ValType::Record(_)) {
                format!("{{{inner}}}")
            } else {
                format!("({inner})")
            }
        }
        (_, Value::Case(case, payload)) => {
            let cases = ty.variant_cases().expect("variant type");
            let p = |t: &ValType| render(payload.as_deref().expect("payload"), t, enc);
            match ty {
                ValType::Option(t) => match case {
                    0 => "none".to_string(),
                    _ => format!("some({})", p(t)),
                },
                ValType::Result { .. } => {
                    let name = if *case == 0 { "ok" } else { "err" };
                    match cases[*case as usize] {
                        Some(t) => format!("{name}({})", p(t)),
                        None => name.to_string(),
                    }
                }
                _ => match cases[*case as usize] {
                    Some(t) => format!("#{case}({})", p(t)),
                    None => format!("#{case}"),
                },
            }
        }
        (_, Value::Flags(words)) => format!(
            "flags[{}]",
            words
                .iter()
                .map(|w| format!("{w:08x}"))
                .collect::<Vec<_>>()
                .join(",")
        ),
        _ => panic!("value {v:?} is not of type {ty}"),
    }
}

/// A string as the receiving side holds it after the adapter stored it:
/// its own encoding, and for `latin1+utf16` Latin-1 exactly when every
/// code point fits (what every `store_string_*` path ends with).
pub fn render_received_string(s: &str, enc: StringEncoding) -> String {
    match enc {
        StringEncoding::Utf8 => format!("s8[{}]", hex_bytes(s.as_bytes())),
        StringEncoding::Utf16 => format!("s16[{}]", hex_units(s)),
        StringEncoding::Latin1Utf16 => {
            if s.chars().all(|c| (c as u32) < 256) {
                let bytes: Vec<u8> = s.chars().map(|c| c as u8).collect();
                format!("sL[{}]", hex_bytes(&bytes))
            } else {
                format!("sU[{}]", hex_units(s))
            }
        }
    }
}

fn hex_bytes(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn hex_units(s: &str) -> String {
    s.encode_utf16().map(|u| format!("{u:04x}")).collect()
}

/// One `realloc` call: (old pointer non-zero, old size, alignment, new size).
pub type Realloc = (bool, u32, u32, u32);

/// The `realloc` calls the receiving side sees when `v` of type `ty` is
/// stored into it (the spec's `store`), from a producer with `from`
/// encoding into a receiver with `to` encoding.
pub fn receive_reallocs(
    v: &Value,
    ty: &ValType,
    from: StringEncoding,
    to: StringEncoding,
    log: &mut Vec<Realloc>,
) {
    match (ty, v) {
        (_, Value::Str(s, forced)) => string_reallocs(s, *forced, from, to, log),
        (ValType::List(elem), Value::List(items)) => {
            log.push((
                false,
                0,
                alignment(elem),
                elem_size(elem) * items.len() as u32,
            ));
            for i in items {
                receive_reallocs(i, elem, from, to, log);
            }
        }
        (_, Value::Fields(vals)) => {
            for (t, v) in ty.record_fields().expect("record type").iter().zip(vals) {
                receive_reallocs(v, t, from, to, log);
            }
        }
        (_, Value::Case(case, Some(p))) => {
            let cases = ty.variant_cases().expect("variant type");
            if let Some(t) = cases[*case as usize] {
                receive_reallocs(p, t, from, to, log);
            }
        }
        _ => {}
    }
}

/// The spec's `store_string_into_range` allocation sequence for one pair.
fn string_reallocs(
    s: &str,
    forced: bool,
    from: StringEncoding,
    to: StringEncoding,
    log: &mut Vec<Realloc>,
) {
    use StringEncoding::*;
    #[derive(PartialEq)]
    enum Src {
        Utf8,
        Utf16,
        Latin1,
    }
    let (_, len, _) = encode_string(s, forced, from);
    let (simple, n) = match from {
        Utf8 => (Src::Utf8, len),
        Utf16 => (Src::Utf16, len),
        Latin1Utf16 if len & (1 << 31) != 0 => (Src::Utf16, len ^ (1 << 31)),
        Latin1Utf16 => (Src::Latin1, len),
    };
    let utf8_len = s.len() as u32;
    let utf16_units = s.encode_utf16().count() as u32;
    let all_latin1 = s.chars().all(|c| (c as u32) < 256);
    match to {
        Utf8 => match simple {
            Src::Utf8 => log.push((false, 0, 1, n)),
            Src::Utf16 | Src::Latin1 => {
                let worst = if simple == Src::Utf16 { 3 * n } else { 2 * n };
                log.push((false, 0, 1, n));
                if !s.is_ascii() {
                    log.push((true, n, 1, worst));
                    if worst > utf8_len {
                        log.push((true, worst, 1, utf8_len));
                    }
                }
            }
        },
        Utf16 => match simple {
            Src::Utf8 => {
                log.push((false, 0, 2, 2 * n));
                if 2 * utf16_units < 2 * n {
                    log.push((true, 2 * n, 2, 2 * utf16_units));
                }
            }
            Src::Utf16 | Src::Latin1 => log.push((false, 0, 2, 2 * n)),
        },
        Latin1Utf16 => match (from, simple) {
            (Latin1Utf16, Src::Latin1) => log.push((false, 0, 2, n)),
            (Latin1Utf16, _) => {
                log.push((false, 0, 2, 2 * n));
                if all_latin1 {
                    log.push((true, 2 * n, 1, n));
                }
            }
            _ => {
                log.push((false, 0, 2, n));
                if !all_latin1 {
                    log.push((true, n, 2, 2 * n));
                    if 2 * n > 2 * utf16_units {
                        log.push((true, 2 * n, 2, 2 * utf16_units));
                    }
                } else {
                    let count = s.chars().count() as u32;
                    if count < n {
                        log.push((true, n, 2, count));
                    }
                }
            }
        },
    }
}

/// The elem size and alignment of a tuple of `types` (spilled lists).
pub fn tuple(types: &[ValType]) -> (u32, u32) {
    wasmlink_adapter::layout::tuple_layout(types)
}
