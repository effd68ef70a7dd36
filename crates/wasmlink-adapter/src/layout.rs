//! Where values live in linear memory: alignment, element size, record
//! field offsets, variant discriminants and payload offsets, flags words —
//! the canonical ABI's "Alignment" and "Element Size" sections, for 32-bit
//! memories (4-byte pointers).
//!
//! Every function here expects a type that passed
//! [`crate::types::check_types`], which bounds sizes so that `u32` cannot
//! overflow.

use crate::types::ValType;

/// Bytes of a pointer (and of a length) in a 32-bit memory.
pub const PTR_SIZE: u32 = 4;

/// The alignment of `ty` in bytes (`alignment(t, 'i32')` in the spec).
pub fn alignment(ty: &ValType) -> u32 {
    match ty {
        ValType::Bool | ValType::S8 | ValType::U8 => 1,
        ValType::S16 | ValType::U16 => 2,
        ValType::S32 | ValType::U32 | ValType::F32 | ValType::Char => 4,
        ValType::S64 | ValType::U64 | ValType::F64 => 8,
        ValType::String | ValType::List(_) => PTR_SIZE,
        ValType::Own(_) | ValType::Borrow(_) => 4,
        ValType::Flags(labels) => flags_size(labels.len()).min(4),
        ValType::Record(_) | ValType::Tuple(_) => record_fields(ty)
            .iter()
            .map(|t| alignment(t))
            .max()
            .unwrap_or(1),
        ValType::Variant(_) | ValType::Enum(_) | ValType::Option(_) | ValType::Result { .. } => {
            let cases = cases(ty);
            discriminant_size(cases.len()).max(max_case_alignment(&cases))
        }
    }
}

/// The size of `ty` in bytes when stored in memory, padding included
/// (`elem_size(t, 'i32')` in the spec).
pub fn elem_size(ty: &ValType) -> u32 {
    match ty {
        ValType::Bool | ValType::S8 | ValType::U8 => 1,
        ValType::S16 | ValType::U16 => 2,
        ValType::S32 | ValType::U32 | ValType::F32 | ValType::Char => 4,
        ValType::S64 | ValType::U64 | ValType::F64 => 8,
        ValType::String | ValType::List(_) => 2 * PTR_SIZE,
        ValType::Own(_) | ValType::Borrow(_) => 4,
        ValType::Flags(labels) => flags_size(labels.len()),
        ValType::Record(_) | ValType::Tuple(_) => {
            let fields = record_fields(ty);
            let mut size = 0;
            for f in &fields {
                size = align_to(size, alignment(f)) + elem_size(f);
            }
            align_to(size, alignment(ty))
        }
        ValType::Variant(_) | ValType::Enum(_) | ValType::Option(_) | ValType::Result { .. } => {
            let cases = cases(ty);
            let payload = cases
                .iter()
                .flatten()
                .map(|t| elem_size(t))
                .max()
                .unwrap_or(0);
            align_to(payload_offset(&cases) + payload, alignment(ty))
        }
    }
}

/// `ptr` rounded up to a multiple of `align` (a power of two).
pub fn align_to(ptr: u32, align: u32) -> u32 {
    debug_assert!(align.is_power_of_two());
    (ptr + align - 1) & !(align - 1)
}

/// The offsets of a record's (or tuple's, or parameter list's) fields.
pub fn field_offsets<'a>(fields: impl IntoIterator<Item = &'a ValType>) -> Vec<u32> {
    let mut offset = 0;
    fields
        .into_iter()
        .map(|t| {
            offset = align_to(offset, alignment(t));
            let here = offset;
            offset += elem_size(t);
            here
        })
        .collect()
}

/// Size and alignment of a tuple of `types` (how spilled parameter and
/// result lists are laid out), without building the tuple type.
pub fn tuple_layout(types: &[ValType]) -> (u32, u32) {
    let align = types.iter().map(alignment).max().unwrap_or(1);
    let mut size = 0;
    for t in types {
        size = align_to(size, alignment(t)) + elem_size(t);
    }
    (align_to(size, align), align)
}

/// The byte size of the discriminant of a variant with `cases` cases: the
/// smallest of 1, 2 and 4 that holds every case number.
pub fn discriminant_size(cases: usize) -> u32 {
    if cases <= 1 << 8 {
        1
    } else if cases <= 1 << 16 {
        2
    } else {
        4
    }
}

/// The largest alignment of any case payload (1 without payloads).
pub fn max_case_alignment(cases: &[Option<&ValType>]) -> u32 {
    cases
        .iter()
        .flatten()
        .map(|t| alignment(t))
        .max()
        .unwrap_or(1)
}

/// Where a variant's payload starts: after the discriminant, aligned to the
/// largest payload alignment.
pub fn payload_offset(cases: &[Option<&ValType>]) -> u32 {
    align_to(discriminant_size(cases.len()), max_case_alignment(cases))
}

/// The byte size of a flags value with `labels` labels: 1, 2 or 4 bytes up
/// to 32 labels, then one 4-byte word per 32 labels.
pub fn flags_size(labels: usize) -> u32 {
    match labels {
        0..=8 => 1,
        9..=16 => 2,
        _ => 4 * flags_words(labels),
    }
}

/// How many `i32` words a flags value with `labels` labels takes when
/// flattened (and, above 32 labels, in memory).
pub fn flags_words(labels: usize) -> u32 {
    labels.div_ceil(32).max(1) as u32
}

/// Cases of a variant-like type (empty for others).
pub(crate) fn cases(ty: &ValType) -> Vec<Option<&ValType>> {
    ty.variant_cases().unwrap_or_default()
}

/// Fields of a record-like type (empty for others).
pub(crate) fn record_fields(ty: &ValType) -> Vec<&ValType> {
    ty.record_fields().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{Case, Field};

    fn record(types: &[ValType]) -> ValType {
        ValType::record_of(types.iter().cloned())
    }

    /// Sizes and alignments from the spec's definitions, worked by hand.
    #[test]
    fn scalars_and_pointers() {
        for (t, size, align) in [
            (ValType::Bool, 1, 1),
            (ValType::S8, 1, 1),
            (ValType::U16, 2, 2),
            (ValType::S32, 4, 4),
            (ValType::U64, 8, 8),
            (ValType::F32, 4, 4),
            (ValType::F64, 8, 8),
            (ValType::Char, 4, 4),
            (ValType::String, 8, 4),
            (ValType::list(ValType::U64), 8, 4),
            (ValType::Own(0), 4, 4),
            (ValType::Borrow(3), 4, 4),
        ] {
            assert_eq!((elem_size(&t), alignment(&t)), (size, align), "{t}");
        }
    }

    #[test]
    fn records_pad_between_fields_and_at_the_end() {
        // u8 @0, u32 @4, u8 @8 → 9, padded to 12.
        let r = record(&[ValType::U8, ValType::U32, ValType::U8]);
        assert_eq!((elem_size(&r), alignment(&r)), (12, 4));
        assert_eq!(field_offsets(record_fields(&r)), vec![0, 4, 8]);
        // u8 @0, u64 @8 → 16.
        let r = record(&[ValType::U8, ValType::U64]);
        assert_eq!((elem_size(&r), alignment(&r)), (16, 8));
        // A tuple lays out as the record of its types.
        let t = ValType::Tuple(vec![ValType::U16, ValType::String, ValType::Bool]);
        assert_eq!(field_offsets(record_fields(&t)), vec![0, 4, 12]);
        assert_eq!((elem_size(&t), alignment(&t)), (16, 4));
        assert_eq!(
            tuple_layout(&[ValType::U16, ValType::String, ValType::Bool]),
            (16, 4)
        );
        assert_eq!(tuple_layout(&[]), (0, 1));
    }

    #[test]
    fn variants_discriminant_then_aligned_payload() {
        // option<u8>: disc u8 @0, payload @1 → 2.
        let t = ValType::option(ValType::U8);
        assert_eq!((elem_size(&t), alignment(&t)), (2, 1));
        // option<u64>: payload @8 → 16, align 8.
        let t = ValType::option(ValType::U64);
        assert_eq!((elem_size(&t), alignment(&t)), (16, 8));
        // result<string, enum{a,b}>: payload @4, max(8, 1) → 12.
        let e = ValType::Enum(vec!["a".into(), "b".into()]);
        let t = ValType::result(Some(ValType::String), Some(e.clone()));
        assert_eq!((elem_size(&t), alignment(&t)), (12, 4));
        assert_eq!(payload_offset(&cases(&t)), 4);
        // result (no payloads): just the discriminant.
        let t = ValType::result(None, None);
        assert_eq!((elem_size(&t), alignment(&t)), (1, 1));
        // Enum: discriminant only.
        assert_eq!((elem_size(&e), alignment(&e)), (1, 1));
        // 257 cases need a u16 discriminant; 65537 a u32.
        let labels = |n: usize| (0..n).map(|i| format!("c{i}")).collect::<Vec<_>>();
        assert_eq!(elem_size(&ValType::Enum(labels(256))), 1);
        assert_eq!(elem_size(&ValType::Enum(labels(257))), 2);
        assert_eq!(alignment(&ValType::Enum(labels(257))), 2);
        assert_eq!(elem_size(&ValType::Enum(labels(65536))), 2);
        assert_eq!(elem_size(&ValType::Enum(labels(65537))), 4);
        // variant { a(u8), b(tuple<u16, u16, u16>), c } : disc @0, payload @2
        // (align 2), payload max(1, 6) → 8.
        let v = ValType::Variant(vec![
            Case {
                name: "a".into(),
                ty: Some(ValType::U8),
            },
            Case {
                name: "b".into(),
                ty: Some(ValType::Tuple(vec![ValType::U16; 3])),
            },
            Case {
                name: "c".into(),
                ty: None,
            },
        ]);
        assert_eq!((elem_size(&v), alignment(&v)), (8, 2));
    }

    #[test]
    fn flags_sizes() {
        let flags = |n: usize| ValType::Flags((0..n).map(|i| format!("f{i}")).collect());
        for (n, size, align) in [
            (1, 1, 1),
            (8, 1, 1),
            (9, 2, 2),
            (16, 2, 2),
            (17, 4, 4),
            (32, 4, 4),
            (33, 8, 4),
            (64, 8, 4),
            (65, 12, 4),
        ] {
            let t = flags(n);
            assert_eq!((elem_size(&t), alignment(&t)), (size, align), "{n} flags");
        }
        assert_eq!(flags_words(1), 1);
        assert_eq!(flags_words(32), 1);
        assert_eq!(flags_words(33), 2);
    }

    #[test]
    fn nested_record_in_list_of_records() {
        // record { name: string, data: option<list<u8>> }:
        // string @0 (8), option<list<u8>> @8: disc @8, payload @12 → 16, 12
        // bytes; total 20, align 4.
        let r = ValType::Record(vec![
            Field {
                name: "name".into(),
                ty: ValType::String,
            },
            Field {
                name: "data".into(),
                ty: ValType::option(ValType::list(ValType::U8)),
            },
        ]);
        assert_eq!(field_offsets(record_fields(&r)), vec![0, 8]);
        assert_eq!((elem_size(&r), alignment(&r)), (20, 4));
    }
}
