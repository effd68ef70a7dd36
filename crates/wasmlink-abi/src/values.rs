//! Values crossing the boundary: the 16-byte slots the entry and the
//! harness's trampolines take, and the type codes that describe them.

/// One value: an `i32`/`f32` in the low 4 bytes, an `i64`/`f64`/reference
/// in the low 8, a `v128` in all 16 (little-endian).
pub type ValueSlot = [u8; 16];

/// A value type as `wasmlink_entry_signature` (one byte) and
/// `wasmlink_harness_global_types` (a `u32`) encode it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum ValueType {
    I32 = 0,
    I64 = 1,
    F32 = 2,
    F64 = 3,
    V128 = 4,
    FuncRef = 5,
    ExternRef = 6,
    /// Any other reference type.
    OtherRef = 7,
}

impl ValueType {
    pub const ALL: [ValueType; 8] = [
        ValueType::I32,
        ValueType::I64,
        ValueType::F32,
        ValueType::F64,
        ValueType::V128,
        ValueType::FuncRef,
        ValueType::ExternRef,
        ValueType::OtherRef,
    ];

    pub const fn code(self) -> u8 {
        self as u8
    }

    pub fn from_code(code: u8) -> Option<ValueType> {
        ValueType::ALL.into_iter().find(|t| t.code() == code)
    }

    /// The bytes of its slot (or global storage) the value occupies.
    pub const fn byte_size(self) -> usize {
        match self {
            ValueType::I32 | ValueType::F32 => 4,
            ValueType::V128 => 16,
            ValueType::I64
            | ValueType::F64
            | ValueType::FuncRef
            | ValueType::ExternRef
            | ValueType::OtherRef => 8,
        }
    }

    /// Its name in the text format (`reference` for [`ValueType::OtherRef`]).
    pub const fn name(self) -> &'static str {
        match self {
            ValueType::I32 => "i32",
            ValueType::I64 => "i64",
            ValueType::F32 => "f32",
            ValueType::F64 => "f64",
            ValueType::V128 => "v128",
            ValueType::FuncRef => "funcref",
            ValueType::ExternRef => "externref",
            ValueType::OtherRef => "reference",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_fit_a_slot() {
        for t in ValueType::ALL {
            assert_eq!(ValueType::from_code(t.code()), Some(t));
            assert!(t.byte_size() <= core::mem::size_of::<ValueSlot>());
        }
        assert_eq!(ValueType::from_code(ValueType::ALL.len() as u8), None);
    }
}
