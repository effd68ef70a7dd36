//! `#[repr(C)]` mirrors of the structures generated code shares with the
//! runtime. The authoritative description is
//! `crates/wasmlink-codegen/src/abi.rs`; every layout here must match it
//! field for field (the tests at the bottom pin sizes and offsets).

/// WebAssembly page size in bytes.
pub const PAGE_SIZE: u64 = 65536;

/// `VMMemory::flags` bit 0: the memory has a 64-bit index type.
pub const MEMORY_FLAG_64: u64 = 1;

/// A linear memory. `base` never moves once created; bytes past `length`
/// are reserved but inaccessible.
#[repr(C)]
#[derive(Debug)]
pub struct VMMemory {
    pub base: *mut u8,
    /// Accessible size in bytes.
    pub length: u64,
    /// Growth limit in pages (declared maximum clamped to what the
    /// reservation can hold).
    pub max_pages: u64,
    pub flags: u64,
}

/// A table of 8-byte elements (funcref: `*const VMFuncRef`, externref:
/// opaque word; 0 is null). `base` may move on growth: generated code
/// reloads it on every access.
#[repr(C)]
#[derive(Debug)]
pub struct VMTable {
    pub base: *mut u64,
    /// Number of elements.
    pub length: u64,
    /// Growth limit in elements (`u64::MAX`: none declared).
    pub max: u64,
    /// Allocated elements (`capacity >= length`).
    pub capacity: u64,
}

/// What a funcref points at.
#[repr(C)]
#[derive(Debug)]
pub struct VMFuncRef {
    pub code: *const u8,
    pub vmctx: *mut u8,
    pub type_id: u64,
}

/// A passive data segment (`len` in bytes) or element segment (`ptr` to
/// `u64` items, `len` in items). Dropping a segment sets `len` to 0.
#[repr(C)]
#[derive(Debug)]
pub struct Segment {
    pub ptr: *const u8,
    pub len: u64,
}

/// One instruction of a generated function that may trap, and why.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct TrapSite {
    /// Byte offset from the start of the function.
    pub offset: u32,
    /// A [`Trap`] code.
    pub code: u32,
}

/// One generated function: its code range, display name and trap sites.
#[repr(C)]
#[derive(Debug)]
pub struct FuncInfo {
    pub start: *const u8,
    pub len: u64,
    pub name: *const u8,
    pub name_len: u64,
    pub traps: *const TrapSite,
    pub trap_count: u64,
}

/// Trap codes, numbered as `Trap` in the codegen ABI.
pub mod trap {
    pub const STACK_OVERFLOW: u32 = 1;
    pub const MEMORY_OUT_OF_BOUNDS: u32 = 2;
    pub const INTEGER_DIVIDE_BY_ZERO: u32 = 3;
    pub const INTEGER_OVERFLOW: u32 = 4;
    pub const BAD_CONVERSION_TO_INTEGER: u32 = 5;
    pub const UNREACHABLE: u32 = 6;
    pub const TABLE_OUT_OF_BOUNDS: u32 = 7;
    pub const UNDEFINED_ELEMENT: u32 = 8;
    pub const UNINITIALIZED_ELEMENT: u32 = 9;
    pub const INDIRECT_CALL_TYPE_MISMATCH: u32 = 10;
    pub const NULL_REFERENCE: u32 = 11;
    pub const INCOMPATIBLE_IMPORT: u32 = 12;
}

/// The spec's wording for a trap code (what `assert_trap` expects), or
/// `None` for a number that is not a trap code.
pub fn trap_message(code: u32) -> Option<&'static str> {
    Some(match code {
        trap::STACK_OVERFLOW => "call stack exhausted",
        trap::MEMORY_OUT_OF_BOUNDS => "out of bounds memory access",
        trap::INTEGER_DIVIDE_BY_ZERO => "integer divide by zero",
        trap::INTEGER_OVERFLOW => "integer overflow",
        trap::BAD_CONVERSION_TO_INTEGER => "invalid conversion to integer",
        trap::UNREACHABLE => "unreachable",
        trap::TABLE_OUT_OF_BOUNDS => "out of bounds table access",
        trap::UNDEFINED_ELEMENT => "undefined element",
        trap::UNINITIALIZED_ELEMENT => "uninitialized element",
        trap::INDIRECT_CALL_TYPE_MISMATCH => "indirect call type mismatch",
        trap::NULL_REFERENCE => "null reference",
        trap::INCOMPATIBLE_IMPORT => "incompatible import type",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::mem::{offset_of, size_of};

    #[test]
    fn layouts_match_codegen_abi() {
        assert_eq!(size_of::<VMMemory>(), 32);
        assert_eq!(offset_of!(VMMemory, base), 0);
        assert_eq!(offset_of!(VMMemory, length), 8);
        assert_eq!(size_of::<VMTable>(), 32);
        assert_eq!(offset_of!(VMTable, base), 0);
        assert_eq!(offset_of!(VMTable, length), 8);
        assert_eq!(size_of::<VMFuncRef>(), 24);
        assert_eq!(offset_of!(VMFuncRef, code), 0);
        assert_eq!(offset_of!(VMFuncRef, vmctx), 8);
        assert_eq!(offset_of!(VMFuncRef, type_id), 16);
        assert_eq!(size_of::<Segment>(), 16);
        assert_eq!(offset_of!(Segment, ptr), 0);
        assert_eq!(offset_of!(Segment, len), 8);
        assert_eq!(size_of::<TrapSite>(), 8);
        assert_eq!(size_of::<FuncInfo>(), 48);
        assert_eq!(offset_of!(FuncInfo, traps), 32);
    }

    #[test]
    fn trap_messages() {
        assert_eq!(trap_message(1), Some("call stack exhausted"));
        assert_eq!(trap_message(2), Some("out of bounds memory access"));
        assert_eq!(trap_message(10), Some("indirect call type mismatch"));
        assert_eq!(trap_message(11), Some("null reference"));
        assert_eq!(trap_message(12), Some("incompatible import type"));

        assert_eq!(trap_message(0), None);
        assert_eq!(trap_message(13), None);
    }
}
