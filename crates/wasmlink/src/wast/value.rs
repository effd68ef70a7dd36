//! Script values: arguments as the harness executable takes them (16-byte
//! slots written as 32 hex digits) and expected results with the spec's NaN
//! and lane patterns.

use wasmlink_abi::gc::{
    GC_ALIGN, GC_KIND_ARRAY, GC_KIND_STRUCT, HARNESS_RESULT_KIND_OFFSET, HOST_TAG, HOST_TAG_MASK,
    I31_TAG,
};
use wast::core::{NanPattern, V128Pattern, WastArgCore, WastRetCore};
use wast::{WastArg, WastRet};

/// A float expectation.
#[derive(Clone, Debug, PartialEq)]
pub enum FloatPattern<T> {
    CanonicalNan,
    ArithmeticNan,
    Bits(T),
}

/// An expected result, owned (independent of the script buffer).
#[derive(Clone, Debug, PartialEq)]
pub enum Expected {
    I32(u32),
    I64(u64),
    F32(FloatPattern<u32>),
    F64(FloatPattern<u64>),
    I8x16([u8; 16]),
    I16x8([u16; 8]),
    I32x4([u32; 4]),
    I64x2([u64; 2]),
    F32x4([FloatPattern<u32>; 4]),
    F64x2([FloatPattern<u64>; 2]),
    RefNull,
    /// A non-null externref; `Some(n)` for `ref.extern n` (or the same
    /// host reference seen as an anyref, `ref.host n`).
    RefExtern(Option<u32>),
    /// A non-null funcref.
    RefFunc,
    /// Any non-null reference of the `any` hierarchy.
    RefAny,
    /// An `i31` or a heap object (`ref.eq`).
    RefEq,
    RefI31,
    /// A heap object of this kind (`GC_KIND_STRUCT` or `GC_KIND_ARRAY`):
    /// the harness's invoke trampoline puts the kind of each object a
    /// result refers to in the slot's second word.
    RefObject(u32),
    Either(Vec<Expected>),
}

fn float32(p: &NanPattern<wast::token::F32>) -> FloatPattern<u32> {
    match p {
        NanPattern::CanonicalNan => FloatPattern::CanonicalNan,
        NanPattern::ArithmeticNan => FloatPattern::ArithmeticNan,
        NanPattern::Value(v) => FloatPattern::Bits(v.bits),
    }
}

fn float64(p: &NanPattern<wast::token::F64>) -> FloatPattern<u64> {
    match p {
        NanPattern::CanonicalNan => FloatPattern::CanonicalNan,
        NanPattern::ArithmeticNan => FloatPattern::ArithmeticNan,
        NanPattern::Value(v) => FloatPattern::Bits(v.bits),
    }
}

fn core_expected(r: &WastRetCore) -> Result<Expected, String> {
    Ok(match r {
        WastRetCore::I32(v) => Expected::I32(*v as u32),
        WastRetCore::I64(v) => Expected::I64(*v as u64),
        WastRetCore::F32(p) => Expected::F32(float32(p)),
        WastRetCore::F64(p) => Expected::F64(float64(p)),
        WastRetCore::V128(p) => match p {
            V128Pattern::I8x16(l) => Expected::I8x16(l.map(|x| x as u8)),
            V128Pattern::I16x8(l) => Expected::I16x8(l.map(|x| x as u16)),
            V128Pattern::I32x4(l) => Expected::I32x4(l.map(|x| x as u32)),
            V128Pattern::I64x2(l) => Expected::I64x2(l.map(|x| x as u64)),
            V128Pattern::F32x4(l) => Expected::F32x4([
                float32(&l[0]),
                float32(&l[1]),
                float32(&l[2]),
                float32(&l[3]),
            ]),
            V128Pattern::F64x2(l) => Expected::F64x2([float64(&l[0]), float64(&l[1])]),
        },
        WastRetCore::RefNull(_) => Expected::RefNull,
        WastRetCore::RefExtern(v) => Expected::RefExtern(*v),
        WastRetCore::RefHost(v) => Expected::RefExtern(Some(*v)),
        WastRetCore::RefFunc(_) => Expected::RefFunc,
        WastRetCore::RefAny => Expected::RefAny,
        WastRetCore::RefEq => Expected::RefEq,
        WastRetCore::RefI31 => Expected::RefI31,
        WastRetCore::RefStruct => Expected::RefObject(GC_KIND_STRUCT),
        WastRetCore::RefArray => Expected::RefObject(GC_KIND_ARRAY),
        WastRetCore::Either(alts) => {
            Expected::Either(alts.iter().map(core_expected).collect::<Result<_, _>>()?)
        }
        other => return Err(format!("unsupported expected value {other:?}")),
    })
}

pub fn expected(r: &WastRet) -> Result<Expected, String> {
    match r {
        WastRet::Core(c) => core_expected(c),
        #[allow(unreachable_patterns)]
        _ => Err("component values are not supported".into()),
    }
}

/// An argument as the 128-bit slot value the harness reads.
pub fn argument(a: &WastArg) -> Result<u128, String> {
    let WastArg::Core(a) = a else {
        return Err("component values are not supported".into());
    };
    Ok(match a {
        WastArgCore::I32(v) => *v as u32 as u128,
        WastArgCore::I64(v) => *v as u64 as u128,
        WastArgCore::F32(v) => v.bits as u128,
        WastArgCore::F64(v) => v.bits as u128,
        WastArgCore::V128(v) => u128::from_le_bytes(v.to_le_bytes()),
        WastArgCore::RefNull(_) => 0,
        // A host reference (`wasmlink_abi::gc`): the same word whether the
        // program sees it as an externref or, converted, an anyref.
        WastArgCore::RefExtern(n) | WastArgCore::RefHost(n) => host_ref(*n) as u128,
    })
}

fn float_matches32(p: &FloatPattern<u32>, bits: u32) -> bool {
    match p {
        FloatPattern::CanonicalNan => bits & 0x7fff_ffff == 0x7fc0_0000,
        FloatPattern::ArithmeticNan => bits & 0x7fc0_0000 == 0x7fc0_0000,
        FloatPattern::Bits(b) => *b == bits,
    }
}

fn float_matches64(p: &FloatPattern<u64>, bits: u64) -> bool {
    match p {
        FloatPattern::CanonicalNan => bits & 0x7fff_ffff_ffff_ffff == 0x7ff8_0000_0000_0000,
        FloatPattern::ArithmeticNan => bits & 0x7ff8_0000_0000_0000 == 0x7ff8_0000_0000_0000,
        FloatPattern::Bits(b) => *b == bits,
    }
}

fn lanes<const N: usize, T: Copy>(v: u128, width: u32, f: impl Fn(u128) -> T) -> [T; N] {
    std::array::from_fn(|i| f((v >> (i as u32 * width)) & ((1u128 << width) - 1)))
}

/// Whether the result slot `v` matches `e`.
pub fn matches(e: &Expected, v: u128) -> bool {
    match e {
        Expected::I32(x) => v as u32 == *x,
        Expected::I64(x) => v as u64 == *x,
        Expected::F32(p) => float_matches32(p, v as u32),
        Expected::F64(p) => float_matches64(p, v as u64),
        Expected::I8x16(l) => lanes::<16, u8>(v, 8, |x| x as u8) == *l,
        Expected::I16x8(l) => lanes::<8, u16>(v, 16, |x| x as u16) == *l,
        Expected::I32x4(l) => lanes::<4, u32>(v, 32, |x| x as u32) == *l,
        Expected::I64x2(l) => lanes::<2, u64>(v, 64, |x| x as u64) == *l,
        Expected::F32x4(l) => {
            let got = lanes::<4, u32>(v, 32, |x| x as u32);
            l.iter().zip(got).all(|(p, b)| float_matches32(p, b))
        }
        Expected::F64x2(l) => {
            let got = lanes::<2, u64>(v, 64, |x| x as u64);
            l.iter().zip(got).all(|(p, b)| float_matches64(p, b))
        }
        Expected::RefNull => v as u64 == 0,
        Expected::RefExtern(Some(n)) => v as u64 == host_ref(*n),
        Expected::RefExtern(None) | Expected::RefFunc | Expected::RefAny => v as u64 != 0,
        Expected::RefEq => v as u64 != 0 && v as u64 & HOST_TAG_MASK != HOST_TAG,
        Expected::RefI31 => v as u64 & I31_TAG != 0,
        Expected::RefObject(kind) => {
            let object_kind = (v >> (8 * HARNESS_RESULT_KIND_OFFSET)) as u32;
            v as u64 != 0 && (v as u64).is_multiple_of(GC_ALIGN) && object_kind == *kind
        }
        Expected::Either(alts) => alts.iter().any(|a| matches(a, v)),
    }
}

/// The word of host reference `n`.
fn host_ref(n: u32) -> u64 {
    (u64::from(n) << 2) | HOST_TAG
}

/// Whether a trap message satisfies the script's expected message.
pub fn trap_matches(expected: &str, actual: &str) -> bool {
    actual.contains(expected) || expected.contains(actual)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nan_patterns() {
        assert!(float_matches32(&FloatPattern::CanonicalNan, 0x7fc0_0000));
        assert!(float_matches32(&FloatPattern::CanonicalNan, 0xffc0_0000));
        assert!(!float_matches32(&FloatPattern::CanonicalNan, 0x7fc0_0001));
        assert!(float_matches32(&FloatPattern::ArithmeticNan, 0x7fc0_0001));
        assert!(!float_matches32(&FloatPattern::ArithmeticNan, 0x7f80_0001));
        assert!(float_matches64(
            &FloatPattern::CanonicalNan,
            0x7ff8_0000_0000_0000
        ));
        assert!(!float_matches64(&FloatPattern::Bits(1), 2));
    }

    #[test]
    fn lanes_are_little_endian() {
        let v = u128::from_le_bytes([1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8, 0]);
        assert!(matches(&Expected::I16x8([1, 2, 3, 4, 5, 6, 7, 8]), v));
        assert!(!matches(&Expected::I16x8([2, 1, 3, 4, 5, 6, 7, 8]), v));
    }

    #[test]
    fn refs() {
        assert!(matches(&Expected::RefNull, 0));
        assert!(matches(&Expected::RefExtern(Some(0)), 2));
        assert!(matches(&Expected::RefExtern(Some(3)), 14));
        assert!(!matches(&Expected::RefExtern(Some(0)), 0));
        assert!(matches(&Expected::RefI31, 5));
        let s = Expected::RefObject(GC_KIND_STRUCT);
        let a = Expected::RefObject(GC_KIND_ARRAY);
        assert!(!matches(&s, 5));
        assert!(matches(&s, 0x1000 | (u128::from(GC_KIND_STRUCT) << 64)));
        assert!(!matches(&a, 0x1000 | (u128::from(GC_KIND_STRUCT) << 64)));
        assert!(matches(&a, 0x1000 | (u128::from(GC_KIND_ARRAY) << 64)));
        // A kind word without an object is not one.
        assert!(!matches(&s, u128::from(GC_KIND_STRUCT) << 64));
        assert!(!matches(&Expected::RefEq, 14));
        assert!(matches(
            &Expected::Either(vec![Expected::I32(1), Expected::I32(2)]),
            2
        ));
    }
}
