//! The host's half of the canonical ABI, as generated Wasm text: lowering
//! a script's argument values into a component's core parameters and
//! memory, and lifting its results while comparing them with the script's
//! expected values. Values are constants of the script, so lowering is
//! straight-line code (a `realloc` call and a `memory.init` per string or
//! list); lifting reads exactly the shape the expected value has, so a
//! check is a sequence of loads and compares with no loops. A failed
//! comparison returns from the command function with the number of a
//! message (the path of the value and what was expected) and the value
//! found; a condition under which the canonical ABI traps returns the
//! number of a trap message instead.

use super::driver::{Body, Driver, Memory};
use wasmlink_adapter::flatten::{flatten_type, variant_payload_flat};
use wasmlink_adapter::layout::{
    alignment, discriminant_size, elem_size, field_offsets, flags_size, payload_offset,
};
use wasmlink_adapter::{CoreType, StringEncoding, ValType};
use wast::component::WastVal;

/// Where a value to lift is.
#[derive(Clone, Copy)]
pub enum Loc {
    /// In a local of the command function (a flat result).
    Flat(u32),
    /// In memory, at the address in a local plus a constant offset.
    Mem(u32, u32),
}

/// The canonical ABI's encoding of `s` with `encoding`: the bytes and the
/// length value the ABI passes (code units, tagged for UTF-16 in
/// `latin1+utf16`), and the alignment.
pub fn encode_string(s: &str, encoding: StringEncoding) -> (Vec<u8>, u32, u32) {
    let utf16 = |s: &str| -> (Vec<u8>, u32) {
        let units: Vec<u16> = s.encode_utf16().collect();
        let bytes = units.iter().flat_map(|u| u.to_le_bytes()).collect();
        (bytes, units.len() as u32)
    };
    match encoding {
        StringEncoding::Utf8 => (s.as_bytes().to_vec(), s.len() as u32, 1),
        StringEncoding::Utf16 => {
            let (b, n) = utf16(s);
            (b, n, 2)
        }
        StringEncoding::Latin1Utf16 => {
            if s.chars().all(|c| (c as u32) < 0x100) {
                let b: Vec<u8> = s.chars().map(|c| c as u8).collect();
                let n = b.len() as u32;
                (b, n, 2)
            } else {
                let (b, n) = utf16(s);
                (b, n | 1 << 31, 2)
            }
        }
    }
}

fn mismatch(v: &WastVal, ty: &ValType) -> String {
    format!("value {v:?} does not have type {ty:?}")
}

/// The case number of a variant-like value, and its payload.
fn case_index<'v, 'a>(
    v: &'v WastVal<'a>,
    ty: &ValType,
) -> Result<(usize, Option<&'v WastVal<'a>>), String> {
    let i = match (v, ty) {
        (WastVal::Option(None), ValType::Option(_)) => (0, None),
        (WastVal::Option(Some(p)), ValType::Option(_)) => (1, Some(&**p)),
        (WastVal::Result(Ok(p)), ValType::Result { .. }) => (0, p.as_deref()),
        (WastVal::Result(Err(p)), ValType::Result { .. }) => (1, p.as_deref()),
        (WastVal::Enum(name), ValType::Enum(labels)) => (
            labels
                .iter()
                .position(|l| l == name)
                .ok_or_else(|| mismatch(v, ty))?,
            None,
        ),
        (WastVal::Variant(name, p), ValType::Variant(cases)) => (
            cases
                .iter()
                .position(|c| c.name == *name)
                .ok_or_else(|| mismatch(v, ty))?,
            p.as_deref(),
        ),
        _ => return Err(mismatch(v, ty)),
    };
    let cases = ty.variant_cases().unwrap_or_default();
    if cases.get(i.0).map(Option::is_some) != Some(i.1.is_some()) {
        return Err(mismatch(v, ty));
    }
    Ok(i)
}

/// A scalar as the 64 bits both lowering and checking work with (integers
/// sign- or zero-extended as their type says, floats as their bits).
fn scalar(v: &WastVal, ty: &ValType) -> Result<u64, String> {
    Ok(match (v, ty) {
        (WastVal::Bool(b), ValType::Bool) => *b as u64,
        (WastVal::U8(x), ValType::U8) => *x as u64,
        (WastVal::S8(x), ValType::S8) => *x as i64 as u64,
        (WastVal::U16(x), ValType::U16) => *x as u64,
        (WastVal::S16(x), ValType::S16) => *x as i64 as u64,
        (WastVal::U32(x), ValType::U32) => *x as u64,
        (WastVal::S32(x), ValType::S32) => *x as i64 as u64,
        (WastVal::U64(x), ValType::U64) => *x,
        (WastVal::S64(x), ValType::S64) => *x as u64,
        (WastVal::F32(x), ValType::F32) => x.bits as u64,
        (WastVal::F64(x), ValType::F64) => x.bits,
        (WastVal::Char(c), ValType::Char) => *c as u64,
        _ => return Err(mismatch(v, ty)),
    })
}

fn flags_mask(v: &WastVal, ty: &ValType) -> Result<Vec<u32>, String> {
    let (WastVal::Flags(set), ValType::Flags(labels)) = (v, ty) else {
        return Err(mismatch(v, ty));
    };
    let mut words = vec![0u32; labels.len().div_ceil(32).max(1)];
    for name in set {
        let i = labels
            .iter()
            .position(|l| l == name)
            .ok_or_else(|| mismatch(v, ty))?;
        words[i / 32] |= 1 << (i % 32);
    }
    Ok(words)
}

fn record_values<'v, 'a>(v: &'v WastVal<'a>, ty: &ValType) -> Result<Vec<&'v WastVal<'a>>, String> {
    match (v, ty) {
        (WastVal::Record(vals), ValType::Record(fields)) if vals.len() == fields.len() => fields
            .iter()
            .zip(vals)
            .map(|(f, (n, v))| {
                if f.name == *n {
                    Ok(v)
                } else {
                    Err(mismatch(v, ty))
                }
            })
            .collect(),
        (WastVal::Tuple(vals), ValType::Tuple(types)) if vals.len() == types.len() => {
            Ok(vals.iter().collect())
        }
        _ => Err(mismatch(v, ty)),
    }
}

fn const_of(t: CoreType, bits: u64) -> String {
    match t {
        CoreType::I32 => format!("i32.const {}\n", bits as u32 as i32),
        CoreType::I64 => format!("i64.const {}\n", bits as i64),
        CoreType::F32 => format!("i32.const {}\nf32.reinterpret_i32\n", bits as u32 as i32),
        CoreType::F64 => format!("i64.const {}\nf64.reinterpret_i64\n", bits as i64),
    }
}

/// Turn a value of core type `from` on the stack into the joined slot type `to`.
fn join_convert(from: CoreType, to: CoreType) -> &'static str {
    use CoreType::*;
    match (from, to) {
        (F32, I32) => "i32.reinterpret_f32\n",
        (I32, I64) => "i64.extend_i32_u\n",
        (F32, I64) => "i32.reinterpret_f32\ni64.extend_i32_u\n",
        (F64, I64) => "i64.reinterpret_f64\n",
        _ => "",
    }
}

impl Driver {
    /// Code pushing the flat values of `v` (of type `ty`), in order; the
    /// code also allocates and fills the memory strings and lists need.
    pub fn lower_flat(
        &mut self,
        body: &mut Body,
        mem: &Memory,
        v: &WastVal,
        ty: &ValType,
    ) -> Result<(), String> {
        match ty {
            ValType::String | ValType::List(_) => {
                let (ptr, len) = self.lower_buffer(body, mem, v, ty)?;
                body.code
                    .push_str(&format!("local.get {ptr}\ni32.const {}\n", len as i32));
            }
            ValType::Record(_) | ValType::Tuple(_) => {
                let fields = ty.record_fields().unwrap_or_default();
                for (v, t) in record_values(v, ty)?.into_iter().zip(fields) {
                    self.lower_flat(body, mem, v, t)?;
                }
            }
            ValType::Variant(_)
            | ValType::Enum(_)
            | ValType::Option(_)
            | ValType::Result { .. } => {
                let cases = ty.variant_cases().unwrap_or_default();
                let (i, payload) = case_index(v, ty)?;
                body.code.push_str(&const_of(CoreType::I32, i as u64));
                let slots = variant_payload_flat(&cases);
                let mut used = 0;
                if let (Some(p), Some(Some(pt))) = (payload, cases.get(i)) {
                    self.lower_flat(body, mem, p, pt)?;
                    // Conversions are applied per value after lowering:
                    // spill the payload's values to locals, then push them
                    // back converted.
                    let flat = flatten_type(pt);
                    let locals: Vec<u32> = flat.iter().map(|t| body.local(*t)).collect();
                    for l in locals.iter().rev() {
                        body.code.push_str(&format!("local.set {l}\n"));
                    }
                    for ((l, t), slot) in locals.iter().zip(&flat).zip(&slots) {
                        body.code
                            .push_str(&format!("local.get {l}\n{}", join_convert(*t, *slot)));
                    }
                    used = flat.len();
                }
                for slot in &slots[used..] {
                    body.code.push_str(&const_of(*slot, 0));
                }
            }
            ValType::Flags(_) => {
                for w in flags_mask(v, ty)? {
                    body.code.push_str(&const_of(CoreType::I32, w as u64));
                }
            }
            ValType::Own(_) | ValType::Borrow(_) => {
                return Err("resource handles are not supported".into())
            }
            _ => {
                let bits = scalar(v, ty)?;
                let t = flatten_type(ty)[0];
                body.code.push_str(&const_of(t, bits));
            }
        }
        Ok(())
    }

    /// Allocate with the callee's `realloc` (checking the pointer as the
    /// canonical ABI does); returns the local holding the address.
    pub fn alloc(
        &mut self,
        body: &mut Body,
        mem: &Memory,
        align: u32,
        size: u32,
    ) -> Result<u32, String> {
        let Some(realloc) = &mem.realloc else {
            return Err("the export needs a realloc option to receive this value".into());
        };
        let p = body.local(CoreType::I32);
        body.code.push_str(&format!(
            "i32.const 0\ni32.const 0\ni32.const {align}\ni32.const {}\ncall {realloc}\nlocal.set {p}\n",
            size as i32
        ));
        let range = self.range_helper(mem);
        let trap = self.trap_id("realloc return: beyond end of memory or unaligned pointer");
        body.code.push_str(&format!(
            "local.get {p}\ni32.const {}\ni32.const {align}\ncall {range}\nif\ni32.const {trap}\ni64.const 0\nreturn\nend\n",
            size as i32
        ));
        Ok(p)
    }

    /// Allocate and fill a string's or list's buffer: (address local, length).
    fn lower_buffer(
        &mut self,
        body: &mut Body,
        mem: &Memory,
        v: &WastVal,
        ty: &ValType,
    ) -> Result<(u32, u32), String> {
        match (v, ty) {
            (WastVal::String(s), ValType::String) => {
                let (bytes, len, align) = encode_string(s, mem.encoding);
                let p = self.alloc(body, mem, align, bytes.len() as u32)?;
                if !bytes.is_empty() {
                    let n = bytes.len();
                    let seg = self.passive_data(bytes);
                    body.code.push_str(&format!(
                        "local.get {p}\ni32.const 0\ni32.const {n}\nmemory.init {} {seg}\n",
                        mem.memory
                    ));
                }
                Ok((p, len))
            }
            (WastVal::List(items), ValType::List(t)) => {
                let size = elem_size(t);
                let p = self.alloc(body, mem, alignment(t), size * items.len() as u32)?;
                for (i, item) in items.iter().enumerate() {
                    self.store(body, mem, item, t, p, i as u32 * size)?;
                }
                Ok((p, items.len() as u32))
            }
            _ => Err(mismatch(v, ty)),
        }
    }

    /// Store `v` at the address in local `base` plus `offset`.
    pub fn store(
        &mut self,
        body: &mut Body,
        mem: &Memory,
        v: &WastVal,
        ty: &ValType,
        base: u32,
        offset: u32,
    ) -> Result<(), String> {
        let m = &mem.memory;
        let st = |body: &mut Body, op: &str, t: CoreType, bits: u64| {
            body.code.push_str(&format!(
                "local.get {base}\n{}{op} {m} offset={offset}\n",
                const_of(t, bits)
            ));
        };
        match ty {
            ValType::Bool | ValType::U8 | ValType::S8 => {
                st(body, "i32.store8", CoreType::I32, scalar(v, ty)?)
            }
            ValType::U16 | ValType::S16 => st(body, "i32.store16", CoreType::I32, scalar(v, ty)?),
            ValType::U32 | ValType::S32 | ValType::Char | ValType::F32 => {
                st(body, "i32.store", CoreType::I32, scalar(v, ty)?)
            }
            ValType::U64 | ValType::S64 | ValType::F64 => {
                st(body, "i64.store", CoreType::I64, scalar(v, ty)?)
            }
            ValType::String | ValType::List(_) => {
                let (p, len) = self.lower_buffer(body, mem, v, ty)?;
                body.code.push_str(&format!(
                    "local.get {base}\nlocal.get {p}\ni32.store {m} offset={offset}\nlocal.get {base}\ni32.const {}\ni32.store {m} offset={}\n",
                    len as i32,
                    offset + 4
                ));
            }
            ValType::Record(_) | ValType::Tuple(_) => {
                let fields = ty.record_fields().unwrap_or_default();
                let offsets = field_offsets(fields.iter().copied());
                for ((v, t), o) in record_values(v, ty)?.into_iter().zip(fields).zip(offsets) {
                    self.store(body, mem, v, t, base, offset + o)?;
                }
            }
            ValType::Variant(_)
            | ValType::Enum(_)
            | ValType::Option(_)
            | ValType::Result { .. } => {
                let cases = ty.variant_cases().unwrap_or_default();
                let (i, payload) = case_index(v, ty)?;
                let op = match discriminant_size(cases.len()) {
                    1 => "i32.store8",
                    2 => "i32.store16",
                    _ => "i32.store",
                };
                st(body, op, CoreType::I32, i as u64);
                if let (Some(p), Some(Some(pt))) = (payload, cases.get(i)) {
                    let pt = (*pt).clone();
                    self.store(body, mem, p, &pt, base, offset + payload_offset(&cases))?;
                }
            }
            ValType::Flags(labels) => {
                let words = flags_mask(v, ty)?;
                match flags_size(labels.len()) {
                    1 => st(body, "i32.store8", CoreType::I32, words[0] as u64),
                    2 => st(body, "i32.store16", CoreType::I32, words[0] as u64),
                    _ => {
                        for (k, w) in words.iter().enumerate() {
                            body.code.push_str(&format!(
                                "local.get {base}\ni32.const {}\ni32.store {m} offset={}\n",
                                *w as i32,
                                offset + 4 * k as u32
                            ));
                        }
                    }
                }
            }
            ValType::Own(_) | ValType::Borrow(_) => {
                return Err("resource handles are not supported".into())
            }
        }
        Ok(())
    }

    /// Code leaving the i64 form of the scalar of type `ty` at `loc` in
    /// local `v` (and returning a trap for an invalid `char`).
    fn load_scalar(&mut self, body: &mut Body, mem: &Memory, ty: &ValType, loc: Loc, v: u32) {
        let m = &mem.memory;
        let code = match loc {
            Loc::Flat(l) => {
                let conv = match ty {
                    ValType::Bool => "i32.const 0\ni32.ne\ni64.extend_i32_u",
                    ValType::S8 => "i32.extend8_s\ni64.extend_i32_s",
                    ValType::U8 => "i32.const 255\ni32.and\ni64.extend_i32_u",
                    ValType::S16 => "i32.extend16_s\ni64.extend_i32_s",
                    ValType::U16 => "i32.const 65535\ni32.and\ni64.extend_i32_u",
                    ValType::S32 => "i64.extend_i32_s",
                    ValType::U32 | ValType::Char => "i64.extend_i32_u",
                    ValType::F32 => "i32.reinterpret_f32\ni64.extend_i32_u",
                    ValType::F64 => "i64.reinterpret_f64",
                    _ => "",
                };
                format!("local.get {l}\n{conv}\n")
            }
            Loc::Mem(b, o) => {
                let op = match ty {
                    ValType::Bool => "i32.load8_u",
                    ValType::S8 => "i32.load8_s",
                    ValType::U8 => "i32.load8_u",
                    ValType::S16 => "i32.load16_s",
                    ValType::U16 => "i32.load16_u",
                    ValType::S64 | ValType::U64 | ValType::F64 => "i64.load",
                    _ => "i32.load",
                };
                let conv = match ty {
                    ValType::Bool => "i32.const 0\ni32.ne\ni64.extend_i32_u\n",
                    ValType::S8 | ValType::S16 | ValType::S32 => "i64.extend_i32_s\n",
                    ValType::S64 | ValType::U64 | ValType::F64 => "",
                    _ => "i64.extend_i32_u\n",
                };
                format!("local.get {b}\n{op} {m} offset={o}\n{conv}")
            }
        };
        body.code.push_str(&code);
        body.code.push_str(&format!("local.set {v}\n"));
        if *ty == ValType::Char {
            let trap = self.trap_id("invalid `char` bit pattern");
            body.code.push_str(&format!(
                "local.get {v}\ni64.const 1114111\ni64.gt_u\nlocal.get {v}\ni64.const -2048\ni64.and\ni64.const 55296\ni64.eq\ni32.or\nif\ni32.const {trap}\nlocal.get {v}\nreturn\nend\n"
            ));
        }
    }

    /// Return message `id` with the value in local `v` unless `cond` (code
    /// leaving an i32) holds.
    fn expect(body: &mut Body, cond: &str, id: u32, v: u32) {
        body.code.push_str(&format!(
            "{cond}i32.eqz\nif\ni32.const {id}\nlocal.get {v}\nreturn\nend\n"
        ));
    }

    /// Lift the value of type `ty` at `loc`, and compare it with `e`
    /// (`None`: only the checks under which lifting traps). `path` names
    /// the value in messages.
    pub fn check(
        &mut self,
        body: &mut Body,
        mem: &Memory,
        e: Option<&WastVal>,
        ty: &ValType,
        loc: Loc,
        path: &str,
    ) -> Result<(), String> {
        let v = body.scratch();
        match ty {
            ValType::F32 | ValType::F64 => {
                self.load_scalar(body, mem, ty, loc, v);
                if let Some(e) = e {
                    let bits = scalar(e, ty)?;
                    let (mask, inf, nan) = if *ty == ValType::F32 {
                        (
                            0x7fff_ffffu64,
                            0x7f80_0000u64,
                            (bits & 0x7fff_ffff) > 0x7f80_0000,
                        )
                    } else {
                        (
                            0x7fff_ffff_ffff_ffff,
                            0x7ff0_0000_0000_0000,
                            (bits & 0x7fff_ffff_ffff_ffff) > 0x7ff0_0000_0000_0000,
                        )
                    };
                    let id = self.message(format!("{path}: expected {e:?}"));
                    // Any NaN matches an expected NaN: NaNs cross the
                    // boundary without being canonicalised.
                    let cond = if nan {
                        format!(
                            "local.get {v}\ni64.const {}\ni64.and\ni64.const {}\ni64.gt_u\n",
                            mask as i64, inf as i64
                        )
                    } else {
                        format!("local.get {v}\ni64.const {}\ni64.eq\n", bits as i64)
                    };
                    Self::expect(body, &cond, id, v);
                }
            }
            ValType::Bool
            | ValType::S8
            | ValType::U8
            | ValType::S16
            | ValType::U16
            | ValType::S32
            | ValType::U32
            | ValType::S64
            | ValType::U64
            | ValType::Char => {
                self.load_scalar(body, mem, ty, loc, v);
                if let Some(e) = e {
                    let bits = scalar(e, ty)?;
                    let id = self.message(format!("{path}: expected {e:?}"));
                    Self::expect(
                        body,
                        &format!("local.get {v}\ni64.const {}\ni64.eq\n", bits as i64),
                        id,
                        v,
                    );
                }
            }
            ValType::Flags(labels) => {
                let words = flags_size(labels.len()).div_ceil(4).max(1);
                let expected = e.map(|e| flags_mask(e, ty)).transpose()?;
                for k in 0..words {
                    let n = labels.len().saturating_sub(32 * k as usize).min(32);
                    let mask = if n == 32 { u32::MAX } else { (1u32 << n) - 1 };
                    let load = match loc {
                        Loc::Flat(l) => format!("local.get {l}\n"),
                        Loc::Mem(b, o) => {
                            let op = match flags_size(labels.len()) {
                                1 => "i32.load8_u",
                                2 => "i32.load16_u",
                                _ => "i32.load",
                            };
                            format!("local.get {b}\n{op} {} offset={}\n", mem.memory, o + 4 * k)
                        }
                    };
                    body.code.push_str(&format!(
                        "{load}i32.const {}\ni32.and\ni64.extend_i32_u\nlocal.set {v}\n",
                        mask as i32
                    ));
                    if let (Some(w), Some(e)) = (&expected, e) {
                        let id = self.message(format!("{path}: expected {e:?}"));
                        Self::expect(
                            body,
                            &format!("local.get {v}\ni64.const {}\ni64.eq\n", w[k as usize]),
                            id,
                            v,
                        );
                    }
                }
            }
            ValType::Record(_) | ValType::Tuple(_) => {
                let fields = ty.record_fields().unwrap_or_default();
                let values: Vec<Option<&WastVal>> = match e {
                    Some(e) => record_values(e, ty)?.into_iter().map(Some).collect(),
                    None => vec![None; fields.len()],
                };
                let names: Vec<String> = match ty {
                    ValType::Record(f) => f.iter().map(|f| f.name.clone()).collect(),
                    _ => (0..fields.len()).map(|i| i.to_string()).collect(),
                };
                let offsets = field_offsets(fields.iter().copied());
                for (((t, v), o), n) in fields.iter().zip(values).zip(offsets).zip(names) {
                    let loc = match loc {
                        Loc::Mem(b, base) => Loc::Mem(b, base + o),
                        // One flat value: it belongs to the one field
                        // that has a flat value.
                        flat if !flatten_type(t).is_empty() => flat,
                        _ => continue,
                    };
                    self.check(body, mem, v, t, loc, &format!("{path}.{n}"))?;
                }
            }
            ValType::Variant(_)
            | ValType::Enum(_)
            | ValType::Option(_)
            | ValType::Result { .. } => {
                let cases = ty.variant_cases().unwrap_or_default();
                let disc = match loc {
                    Loc::Flat(l) => format!("local.get {l}\n"),
                    Loc::Mem(b, o) => {
                        let op = match discriminant_size(cases.len()) {
                            1 => "i32.load8_u",
                            2 => "i32.load16_u",
                            _ => "i32.load",
                        };
                        format!("local.get {b}\n{op} {} offset={o}\n", mem.memory)
                    }
                };
                body.code
                    .push_str(&format!("{disc}i64.extend_i32_u\nlocal.set {v}\n"));
                let trap = self.trap_id("invalid variant discriminant");
                body.code.push_str(&format!(
                    "local.get {v}\ni64.const {}\ni64.ge_u\nif\ni32.const {trap}\nlocal.get {v}\nreturn\nend\n",
                    cases.len()
                ));
                let payload_at = |cases: &[Option<&ValType>]| match loc {
                    Loc::Mem(b, o) => Some(Loc::Mem(b, o + payload_offset(cases))),
                    Loc::Flat(..) => None,
                };
                match e {
                    Some(e) => {
                        let (i, payload) = case_index(e, ty)?;
                        let id = self.message(format!("{path}: expected {e:?} (case {i})"));
                        Self::expect(
                            body,
                            &format!("local.get {v}\ni64.const {i}\ni64.eq\n"),
                            id,
                            v,
                        );
                        if let (Some(p), Some(Some(pt)), Some(at)) =
                            (payload, cases.get(i), payload_at(&cases))
                        {
                            let pt = (*pt).clone();
                            self.check(body, mem, Some(p), &pt, at, &format!("{path}.case{i}"))?;
                        }
                    }
                    None => {
                        let owned: Vec<Option<ValType>> =
                            cases.iter().map(|c| c.cloned()).collect();
                        if let Some(at) = payload_at(&cases) {
                            for (i, c) in owned.iter().enumerate() {
                                if let Some(pt) = c {
                                    body.code.push_str(&format!(
                                        "local.get {v}\ni64.const {i}\ni64.eq\nif\n"
                                    ));
                                    self.check(
                                        body,
                                        mem,
                                        None,
                                        pt,
                                        at,
                                        &format!("{path}.case{i}"),
                                    )?;
                                    body.code.push_str("end\n");
                                }
                            }
                        }
                    }
                }
            }
            ValType::String | ValType::List(_) => {
                self.check_buffer(body, mem, e, ty, loc, path, v)?
            }
            ValType::Own(_) | ValType::Borrow(_) => {
                return Err("resource handles are not supported".into())
            }
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn check_buffer(
        &mut self,
        body: &mut Body,
        mem: &Memory,
        e: Option<&WastVal>,
        ty: &ValType,
        loc: Loc,
        path: &str,
        v: u32,
    ) -> Result<(), String> {
        let Loc::Mem(b, o) = loc else {
            return Err("a string or list as a flat result".into());
        };
        let m = mem.memory.clone();
        let (p, n) = (body.local(CoreType::I32), body.local(CoreType::I32));
        body.code.push_str(&format!(
            "local.get {b}\ni32.load {m} offset={o}\nlocal.set {p}\nlocal.get {b}\ni32.load {m} offset={}\nlocal.set {n}\n",
            o + 4
        ));
        let range = self.range_helper(mem);
        match ty {
            ValType::String => {
                let trap = self.trap_id("string content out-of-bounds or unaligned pointer");
                // The byte length and alignment depend on the encoding
                // (and, for latin1+utf16, on the tag bit of the length).
                let (bytes, align) = match mem.encoding {
                    StringEncoding::Utf8 => (format!("local.get {n}\n"), 1),
                    StringEncoding::Utf16 => (format!("local.get {n}\ni32.const 1\ni32.shl\n"), 2),
                    StringEncoding::Latin1Utf16 => (
                        format!("local.get {n}\ni32.const 2147483647\ni32.and\nlocal.get {n}\ni32.const 31\ni32.shr_u\ni32.shl\n"),
                        2,
                    ),
                };
                body.code.push_str(&format!(
                    "local.get {p}\n{bytes}i32.const {align}\ncall {range}\nif\ni32.const {trap}\ni64.const 0\nreturn\nend\n"
                ));
                if let Some(e) = e {
                    let WastVal::String(s) = e else {
                        return Err(mismatch(e, ty));
                    };
                    let (expected, len, _) = encode_string(s, mem.encoding);
                    let id = self.message(format!(
                        "{path}: expected {e:?} (the value found is its length)"
                    ));
                    body.code
                        .push_str(&format!("local.get {n}\ni64.extend_i32_u\nlocal.set {v}\n"));
                    Self::expect(
                        body,
                        &format!("local.get {n}\ni32.const {}\ni32.eq\n", len as i32),
                        id,
                        v,
                    );
                    let at = self.own_data(&expected);
                    let eq = self.memeq_helper(mem);
                    let id = self.message(format!("{path}: expected {e:?} (the contents differ)"));
                    Self::expect(
                        body,
                        &format!(
                            "local.get {p}\ni32.const {at}\ni32.const {}\ncall {eq}\n",
                            expected.len()
                        ),
                        id,
                        v,
                    );
                }
            }
            ValType::List(t) => {
                let size = elem_size(t);
                let trap = self.trap_id("list content out-of-bounds or unaligned pointer");
                body.code.push_str(&format!(
                    "local.get {p}\nlocal.get {n}\ni32.const {size}\ni32.mul\ni32.const {}\ncall {range}\nif\ni32.const {trap}\ni64.const 0\nreturn\nend\n",
                    alignment(t)
                ));
                // Lengths large enough to overflow the product are out of
                // bounds too.
                body.code.push_str(&format!(
                    "local.get {n}\ni64.extend_i32_u\ni64.const {size}\ni64.mul\ni64.const 4294967295\ni64.gt_u\nif\ni32.const {trap}\ni64.const 0\nreturn\nend\n"
                ));
                if let Some(e) = e {
                    let WastVal::List(items) = e else {
                        return Err(mismatch(e, ty));
                    };
                    let id = self.message(format!(
                        "{path}: expected {} elements (the value found is the length)",
                        items.len()
                    ));
                    body.code
                        .push_str(&format!("local.get {n}\ni64.extend_i32_u\nlocal.set {v}\n"));
                    Self::expect(
                        body,
                        &format!("local.get {n}\ni32.const {}\ni32.eq\n", items.len()),
                        id,
                        v,
                    );
                    for (i, item) in items.iter().enumerate() {
                        self.check(
                            body,
                            mem,
                            Some(item),
                            t,
                            Loc::Mem(p, i as u32 * size),
                            &format!("{path}[{i}]"),
                        )?;
                    }
                }
            }
            _ => unreachable!("check_buffer is called for strings and lists"),
        }
        Ok(())
    }
}
