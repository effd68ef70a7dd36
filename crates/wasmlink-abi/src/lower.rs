//! The options of a lowered host call: what a WASI 0.2 runtime function
//! (`foreach_wasi2_fn!`) needs to know about its caller.
//!
//! The compiler emits one static, writable [`LowerContext`] per (core
//! instance, lowered import) and passes its address as the first argument
//! of every call of that import. It is also the vmctx of the import's
//! wrapper function (the wasm-convention function a funcref of the import
//! points at), which is why it starts like a [`VMContextHeader`]: the
//! funcref slot of a lowered import holds the wrapper and the context.
//!
//! [`VMContextHeader`]: crate::VMContextHeader

use crate::VMMemory;
use core::mem::{offset_of, size_of};

/// The string encoding of a lowered call's options (`canon lower`'s
/// `string-encoding`; a core module importing WASI directly is `Utf8`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum StringEncoding {
    Utf8 = 0,
    Utf16 = 1,
    /// `latin1+utf16`: a string is Latin-1, or UTF-16 when the top bit of
    /// its length is set.
    CompactUtf16 = 2,
}

impl StringEncoding {
    pub fn from_code(code: u32) -> Option<StringEncoding> {
        [Self::Utf8, Self::Utf16, Self::CompactUtf16]
            .into_iter()
            .find(|e| *e as u32 == code)
    }
}

/// The caller's `realloc` as the runtime calls it: a C-convention
/// trampoline generated per realloc function that calls the wasm function
/// (`cabi_realloc(old_ptr, old_size, align, new_size) -> ptr`) with the
/// vmctx given first.
pub type ReallocFn = unsafe extern "C" fn(
    vmctx: *mut u8,
    old_ptr: u32,
    old_size: u32,
    align: u32,
    new_size: u32,
) -> u32;

/// One lowered import's options, static in the executable.
#[repr(C)]
#[derive(Debug)]
pub struct LowerContext {
    /// The program's stack-limit cell, where every vmctx has it (the
    /// context is its wrapper's vmctx).
    pub stack_limit: *const usize,
    /// The memory lists and strings are read from and written to; null
    /// when the options name none (every access then traps).
    pub memory: *mut VMMemory,
    /// The trampoline of the caller's `realloc`, if its options name one
    /// (results that need memory trap without it).
    pub realloc: Option<ReallocFn>,
    /// The vmctx of the instance that defines `realloc`.
    pub realloc_vmctx: *mut u8,
    /// A [`StringEncoding`] number.
    pub string_encoding: u32,
    /// The component instance whose handle table resources live in: each
    /// core module that imports WASI directly is its own; the core
    /// instances of one flattened component share one.
    pub component_instance: u32,
    /// Written by the runtime when the call must trap: a
    /// [`Trap`](crate::Trap) code (0: none). The caller checks it after
    /// every call and traps with that code.
    pub trap: u32,
    pub reserved: u32,
    /// The calling component instance's flags global (an `i32`; bit
    /// `FLAG_MAY_LEAVE` = 1), or null: a call while the bit is clear traps
    /// with [`Trap::CannotLeaveInstance`](crate::Trap).
    pub flags: *const i32,
}

/// The flags bit that allows a component instance to call out (the
/// canonical ABI's `may_leave`; `wasmlink-adapter` keeps it).
pub const FLAG_MAY_LEAVE: i32 = 1;

/// Byte size of a [`LowerContext`].
pub const LOWER_CONTEXT_SIZE: u32 = size_of::<LowerContext>() as u32;

/// Field offsets of [`LowerContext`], as load/store offsets.
pub mod lower_field {
    use super::*;

    pub const STACK_LIMIT: i32 = offset_of!(LowerContext, stack_limit) as i32;
    pub const MEMORY: i32 = offset_of!(LowerContext, memory) as i32;
    pub const REALLOC: i32 = offset_of!(LowerContext, realloc) as i32;
    pub const REALLOC_VMCTX: i32 = offset_of!(LowerContext, realloc_vmctx) as i32;
    pub const STRING_ENCODING: i32 = offset_of!(LowerContext, string_encoding) as i32;
    pub const COMPONENT_INSTANCE: i32 = offset_of!(LowerContext, component_instance) as i32;
    pub const TRAP: i32 = offset_of!(LowerContext, trap) as i32;
    pub const FLAGS: i32 = offset_of!(LowerContext, flags) as i32;
}

const _: () = {
    // A context is a valid vmctx header: the stack-limit pointer first.
    assert!(lower_field::STACK_LIMIT == crate::field::VMCTX_STACK_LIMIT);
    assert!(LOWER_CONTEXT_SIZE.is_multiple_of(8));
    assert!(size_of::<Option<ReallocFn>>() == 8);
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_and_encodings() {
        assert_eq!(LOWER_CONTEXT_SIZE, 56);
        assert_eq!(lower_field::FLAGS, 48);
        assert_eq!(lower_field::TRAP, 40);
        for e in [
            StringEncoding::Utf8,
            StringEncoding::Utf16,
            StringEncoding::CompactUtf16,
        ] {
            assert_eq!(StringEncoding::from_code(e as u32), Some(e));
        }
        assert_eq!(StringEncoding::from_code(3), None);
    }
}
