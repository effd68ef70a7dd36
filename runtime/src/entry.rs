//! The entry's arguments and results.
//!
//! An entry may be an export with parameters (`"entry": "main.add"`,
//! `wasmlink run --invoke add`): the executable reads them from its own
//! command line (`./app 1 2`) exactly as `wasmtime run --invoke` reads
//! them, and prints the entry's results on stdout, one per line, as
//! wasmtime prints them. The object describes the entry's signature in
//! `wasmlink_entry_signature` (see `wasmlink_abi::symbols`); arguments
//! and results travel through the 16-byte [`ValueSlot`]s handed to
//! `wasmlink_program_start`.
//!
//! Parsing happens before any guest code runs, so a bad argument ends the
//! program with status [`USAGE_EXIT_STATUS`] and a message naming the
//! argument and the type it should have.

/// Exit status for a command line the entry cannot take.
pub const USAGE_EXIT_STATUS: i32 = 2;

use crate::wasi::HostBytes;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use wasmlink_abi::ValueSlot;
/// A value type as the signature table encodes it.
pub use wasmlink_abi::ValueType;

/// The entry's parameter and result types.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Signature {
    pub params: Vec<ValueType>,
    pub results: Vec<ValueType>,
}

impl Signature {
    /// Decode `wasmlink_entry_signature` (format:
    /// `wasmlink_abi::symbols::ENTRY_SIGNATURE`). Codes are read only as far
    /// as the counts say; a table too short for them, or an unknown code,
    /// is an error.
    pub fn decode(table: &[u8]) -> Result<Signature, String> {
        let bad = || "the entry signature table is malformed".to_string();
        let count = |at: usize| -> Result<usize, String> {
            let b = table.get(at..at + 4).ok_or_else(bad)?;
            Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
        };
        let (p, r) = (count(0)?, count(4)?);
        let codes = table.get(8..8 + p + r).ok_or_else(bad)?;
        let types = codes
            .iter()
            .map(|&c| ValueType::from_code(c).ok_or_else(bad))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Signature {
            params: types[..p].to_vec(),
            results: types[p..].to_vec(),
        })
    }

    /// Slots `wasmlink_program_start` needs: room for every argument and
    /// every result (at least one, so the pointer is never dangling).
    pub fn slot_count(&self) -> usize {
        self.params.len().max(self.results.len()).max(1)
    }
}

/// An integer as `wasmtime run --invoke` reads it: decimal with an
/// optional sign, or `0x`/`0X` followed by hexadecimal digits.
fn parse_int<T>(
    text: &str,
    dec: fn(&str) -> Result<T, core::num::ParseIntError>,
    hex: fn(&str, u32) -> Result<T, core::num::ParseIntError>,
) -> Result<T, String> {
    let r = match text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        Some(digits) => hex(digits, 16),
        None => dec(text),
    };
    r.map_err(|e| e.to_string())
}

fn parse_value(ty: ValueType, text: &str) -> Result<u128, String> {
    let float_err = |e: core::num::ParseFloatError| e.to_string();
    Ok(match ty {
        ValueType::I32 => parse_int(text, str::parse::<i32>, i32::from_str_radix)? as u32 as u128,
        ValueType::I64 => parse_int(text, str::parse::<i64>, i64::from_str_radix)? as u64 as u128,
        ValueType::F32 => text.parse::<f32>().map_err(float_err)?.to_bits() as u128,
        ValueType::F64 => text.parse::<f64>().map_err(float_err)?.to_bits() as u128,
        other => {
            return Err(format!(
                "a {} cannot be given on the command line",
                other.name()
            ))
        }
    })
}

/// Show an argument in a message: lossy UTF-8, control characters
/// escaped, at most 64 characters.
fn quote(arg: &[u8]) -> String {
    let text = String::from_utf8_lossy(arg);
    let mut out: String = text.chars().take(64).flat_map(char::escape_debug).collect();
    if text.chars().count() > 64 {
        out.push('…');
    }
    out
}

/// Parse the entry's arguments from the command line (`args` is argv
/// without argv[0]) into slots. Extra arguments are left to the program
/// (they are still part of its WASI argv), as wasmtime does.
pub fn parse_args(sig: &Signature, args: &[HostBytes]) -> Result<Vec<ValueSlot>, String> {
    let mut slots = vec![ValueSlot::default(); sig.slot_count()];
    if args.len() < sig.params.len() {
        let types: Vec<&str> = sig.params.iter().map(|t| t.name()).collect();
        return Err(format!(
            "the entry takes {} argument{} ({}) on the command line; {} given",
            sig.params.len(),
            if sig.params.len() == 1 { "" } else { "s" },
            types.join(", "),
            args.len()
        ));
    }
    for (i, (ty, arg)) in sig.params.iter().zip(args).enumerate() {
        let bad = |why: String| {
            format!(
                "argument {} (\"{}\") is not an {}: {why}",
                i + 1,
                quote(arg),
                ty.name()
            )
        };
        let text = core::str::from_utf8(arg).map_err(|_| bad("not valid UTF-8".into()))?;
        slots[i] = parse_value(*ty, text).map_err(bad)?.to_le_bytes();
    }
    Ok(slots)
}

/// One result as `wasmtime run --invoke` prints it.
pub fn format_result(ty: ValueType, slot: &ValueSlot) -> String {
    let v = u128::from_le_bytes(*slot);
    let null = v as u64 == 0;
    match ty {
        ValueType::I32 => (v as u32 as i32).to_string(),
        ValueType::I64 => (v as u64 as i64).to_string(),
        ValueType::F32 => f32::from_bits(v as u32).to_string(),
        ValueType::F64 => f64::from_bits(v as u64).to_string(),
        ValueType::V128 => v.to_string(),
        ValueType::FuncRef if null => "<null funcref>".into(),
        ValueType::FuncRef => "<funcref>".into(),
        ValueType::ExternRef if null => "<null externref>".into(),
        ValueType::ExternRef => "<externref>".into(),
        ValueType::OtherRef if null => "<null anyref>".into(),
        ValueType::OtherRef => "<anyref>".into(),
    }
}

/// The text printed after the entry returns: one line per result.
pub fn format_results(sig: &Signature, slots: &[ValueSlot]) -> String {
    let mut out = String::new();
    for (ty, slot) in sig.results.iter().zip(slots) {
        out.push_str(&format_result(*ty, slot));
        out.push('\n');
    }
    out
}

/// The embedded signature of the program's entry.
#[cfg(not(test))]
pub fn embedded_signature() -> Result<Signature, String> {
    use crate::contract::object::wasmlink_entry_signature;
    // SAFETY: the object always defines the 8-byte header (codegen's
    // `entry_signature`, even without an entry), in read-only data that
    // lives as long as the process.
    let header = unsafe { &*core::ptr::addr_of!(wasmlink_entry_signature) };
    let total = 8
        + u32::from_le_bytes([header[0], header[1], header[2], header[3]]) as usize
        + u32::from_le_bytes([header[4], header[5], header[6], header[7]]) as usize;
    // SAFETY: the codes the header counts follow it in the same object
    // (codegen's `entry_signature`), read-only for the process's life.
    let table = unsafe {
        core::slice::from_raw_parts(
            core::ptr::addr_of!(wasmlink_entry_signature).cast::<u8>(),
            total,
        )
    };
    Signature::decode(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sig(params: &[ValueType], results: &[ValueType]) -> Signature {
        Signature {
            params: params.to_vec(),
            results: results.to_vec(),
        }
    }

    fn args(a: &[&str]) -> Vec<HostBytes> {
        a.iter().map(|s| s.as_bytes().to_vec().into()).collect()
    }

    #[test]
    fn decodes_the_table() {
        let s = Signature::decode(&[2, 0, 0, 0, 1, 0, 0, 0, 0, 3, 5]).unwrap();
        assert_eq!(
            s,
            sig(&[ValueType::I32, ValueType::F64], &[ValueType::FuncRef])
        );
        assert_eq!(s.slot_count(), 2);
        assert!(Signature::decode(&[1, 0, 0, 0, 0, 0, 0, 0]).is_err());
        assert!(Signature::decode(&[1, 0, 0, 0, 0, 0, 0, 0, 9]).is_err());
        assert_eq!(Signature::decode(&[0; 8]).unwrap().slot_count(), 1);
    }

    #[test]
    fn parses_like_wasmtime() {
        use ValueType::*;
        let s = sig(&[I32, I64, F32, F64], &[]);
        let slots = parse_args(&s, &args(&["-1", "0x10", "1.5", "nan", "extra"])).unwrap();
        assert_eq!(u128::from_le_bytes(slots[0]), 0xffff_ffff);
        assert_eq!(u128::from_le_bytes(slots[1]), 16);
        assert_eq!(u128::from_le_bytes(slots[2]), 1.5f32.to_bits() as u128);
        assert!(f64::from_bits(u128::from_le_bytes(slots[3]) as u64).is_nan());
        let one = |t, a: &str| parse_args(&sig(&[t], &[]), &args(&[a]));
        assert!(one(I32, "0X7fffffff").is_ok());
        assert!(one(I32, "+5").is_ok());
        assert!(one(F32, "inf").is_ok());
        assert!(one(F32, "1e40").is_ok()); // rounds to infinity, as in Rust
        let e = one(I32, "2147483648").unwrap_err();
        assert_eq!(
            e,
            "argument 1 (\"2147483648\") is not an i32: number too large to fit in target type"
        );
        assert!(one(I32, "0xffffffff").is_err());
        assert!(one(I32, "-0x10").is_err());
        assert!(one(I32, "1.5").is_err());
        assert!(one(I64, "").is_err());
        assert!(one(F64, "0x1p3").is_err());
        assert!(one(F64, "1_000").is_err());
        assert!(one(V128, "1").unwrap_err().contains("cannot be given"));
        let e = parse_args(&sig(&[I32, I32], &[]), &args(&["1"])).unwrap_err();
        assert_eq!(
            e,
            "the entry takes 2 arguments (i32, i32) on the command line; 1 given"
        );
        let e = parse_args(&sig(&[I32], &[]), &[b"\x1b[2K"[..].into()]).unwrap_err();
        assert!(e.starts_with("argument 1 (\"\\u{1b}[2K\")"), "{e}");
    }

    #[test]
    fn prints_like_wasmtime() {
        use ValueType::*;
        let slot = |v: u128| v.to_le_bytes();
        assert_eq!(format_result(I32, &slot(0xffff_ffff)), "-1");
        assert_eq!(format_result(I64, &slot(1 << 63)), "-9223372036854775808");
        assert_eq!(format_result(F32, &slot(0.1f32.to_bits() as u128)), "0.1");
        assert_eq!(format_result(F32, &slot((-0.0f32).to_bits() as u128)), "-0");
        assert_eq!(format_result(F64, &slot(f64::NAN.to_bits() as u128)), "NaN");
        assert_eq!(
            format_result(F64, &slot(f64::INFINITY.to_bits() as u128)),
            "inf"
        );
        assert_eq!(
            format_result(F64, &slot(1e21f64.to_bits() as u128)),
            "1000000000000000000000"
        );
        assert_eq!(format_result(V128, &slot(u128::MAX)), u128::MAX.to_string());
        assert_eq!(format_result(FuncRef, &slot(0)), "<null funcref>");
        assert_eq!(format_result(FuncRef, &slot(0x1000)), "<funcref>");
        assert_eq!(format_result(ExternRef, &slot(0)), "<null externref>");
        let s = sig(&[], &[I32, F64]);
        assert_eq!(
            format_results(&s, &[slot(3), slot(2.5f64.to_bits() as u128)]),
            "3\n2.5\n"
        );
    }
}
