//! What an adapter module imports and exports, by name and signature, and
//! the traps it raises: the contract between generated adapters, the
//! flattener that binds their imports, and the runtime that implements the
//! intrinsics. The crate documentation describes each item; the constants
//! here are the single spelling of every name.

use crate::flatten::CoreType;
use std::fmt;

/// The adapter function's export name.
pub const EXPORT: &str = "adapter";

/// Import module of the caller's (the lowering component instance's) items.
pub const CALLER: &str = "caller";
/// Import module of the callee's (the lifting component instance's) items.
pub const CALLEE: &str = "callee";
/// Name of a linear memory import (`caller`/`callee`).
pub const MEMORY: &str = "memory";
/// Name of a `realloc` import (`caller`/`callee`):
/// `(old_ptr, old_size, align, new_size) -> ptr`.
pub const REALLOC: &str = "realloc";
/// Name of the lifted core function (`callee`).
pub const FUNCTION: &str = "function";
/// Name of the callee's `post-return` function (`callee`).
pub const POST_RETURN: &str = "post-return";
/// Import module of the component instances' flags globals; each import is
/// named by the instance number in decimal (`"0"`, `"1"`, …), a mutable
/// `i32` holding [`FLAG_MAY_LEAVE`] and [`FLAG_MAY_ENTER`].
pub const FLAGS: &str = "flags";
/// Import module of the intrinsics the runtime provides.
pub const INTRINSICS: &str = "wasmlink:adapter";
/// `trap(code: i32)`: end the program with the [`AdapterTrap`] of that code.
pub const TRAP: &str = "trap";
/// `resource-transfer-own(handle, resource, from, to: i32) -> i32`.
pub const RESOURCE_TRANSFER_OWN: &str = "resource-transfer-own";
/// `resource-transfer-borrow(handle, resource, from, to: i32) -> i32`.
pub const RESOURCE_TRANSFER_BORROW: &str = "resource-transfer-borrow";
/// `resource-enter-call()`: a call that lends handles begins.
pub const RESOURCE_ENTER_CALL: &str = "resource-enter-call";
/// `resource-exit-call()`: that call has returned.
pub const RESOURCE_EXIT_CALL: &str = "resource-exit-call";

/// Flags bit: the instance may call out (clear while its `realloc` or
/// `post-return` runs).
pub const FLAG_MAY_LEAVE: i32 = wasmlink_abi::FLAG_MAY_LEAVE;
/// Flags bit: the instance may be entered (clear while a call into it runs).
pub const FLAG_MAY_ENTER: i32 = 2;
/// A flags global's value when its instance is created.
pub const FLAGS_INITIAL: i32 = FLAG_MAY_LEAVE | FLAG_MAY_ENTER;

/// Why an adapter (or a handle-table intrinsic) traps. The adapter passes
/// [`code`](AdapterTrap::code) to the `trap` intrinsic; the runtime reports
/// `wasm trap: <message> in <function>` and exits with status 134, as for
/// any other trap.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum AdapterTrap {
    /// A `string` in UTF-8 (or the source side of a transcoding from it)
    /// is not valid UTF-8.
    InvalidUtf8 = 1,
    /// A UTF-16 `string` holds an unpaired surrogate.
    InvalidUtf16 = 2,
    /// A `string`'s bytes lie outside its memory, or it is longer than
    /// 2^28 - 1 bytes.
    StringOutOfBounds = 3,
    /// A `list`'s bytes lie outside its memory, or it is longer than
    /// 2^28 - 1 bytes.
    ListOutOfBounds = 4,
    /// A pointer is not aligned for the type it points to.
    UnalignedPointer = 5,
    /// A pointer from `realloc`, to spilled parameters or results, or a
    /// return area, lies outside its memory.
    PointerOutOfBounds = 6,
    /// A `char` is not a Unicode scalar value.
    InvalidChar = 7,
    /// A variant, enum, option or result discriminant names no case.
    InvalidDiscriminant = 8,
    /// The callee (or an instance that contains it) is already on the call
    /// stack and may not be re-entered.
    CannotEnterComponent = 9,
    /// The caller is running its `realloc` or `post-return` and may not
    /// call out.
    CannotLeaveComponent = 10,
    /// A handle is not in the table, is not of the resource type, or is
    /// not owned where ownership moves (raised by the intrinsics).
    InvalidHandle = 11,
    /// An owned handle moved or dropped while lent, or a callee returned
    /// with borrowed handles not dropped (raised by the intrinsics).
    HandleStillBorrowed = 12,
    /// A function of the other component (the callee, a `realloc`, a
    /// `post-return`) let an exception out.
    ExceptionLeftComponent = 13,
}

impl AdapterTrap {
    pub const ALL: [AdapterTrap; 13] = [
        AdapterTrap::InvalidUtf8,
        AdapterTrap::InvalidUtf16,
        AdapterTrap::StringOutOfBounds,
        AdapterTrap::ListOutOfBounds,
        AdapterTrap::UnalignedPointer,
        AdapterTrap::PointerOutOfBounds,
        AdapterTrap::InvalidChar,
        AdapterTrap::InvalidDiscriminant,
        AdapterTrap::CannotEnterComponent,
        AdapterTrap::CannotLeaveComponent,
        AdapterTrap::InvalidHandle,
        AdapterTrap::HandleStillBorrowed,
        AdapterTrap::ExceptionLeftComponent,
    ];

    /// The runtime's trap for it (`wasmlink_abi::Trap`, the one list of
    /// trap codes and messages).
    pub const fn trap(self) -> wasmlink_abi::Trap {
        use wasmlink_abi::Trap;
        match self {
            AdapterTrap::InvalidUtf8 => Trap::InvalidUtf8,
            AdapterTrap::InvalidUtf16 => Trap::InvalidUtf16,
            AdapterTrap::StringOutOfBounds => Trap::StringOutOfBounds,
            AdapterTrap::ListOutOfBounds => Trap::ListOutOfBounds,
            AdapterTrap::UnalignedPointer => Trap::UnalignedPointer,
            AdapterTrap::PointerOutOfBounds => Trap::PointerOutOfBounds,
            AdapterTrap::InvalidChar => Trap::InvalidChar,
            AdapterTrap::InvalidDiscriminant => Trap::InvalidDiscriminant,
            AdapterTrap::CannotEnterComponent => Trap::CannotEnterInstance,
            AdapterTrap::CannotLeaveComponent => Trap::CannotLeaveInstance,
            AdapterTrap::InvalidHandle => Trap::UnknownHandle,
            AdapterTrap::HandleStillBorrowed => Trap::HandleStillBorrowed,
            AdapterTrap::ExceptionLeftComponent => Trap::ExceptionLeftComponent,
        }
    }

    /// The number passed to the `trap` intrinsic: the runtime's trap code.
    pub const fn code(self) -> u32 {
        self.trap().code()
    }

    /// The trap a code stands for, if any.
    pub fn from_code(code: u32) -> Option<AdapterTrap> {
        AdapterTrap::ALL.into_iter().find(|t| t.code() == code)
    }

    /// What the runtime prints after `wasm trap: `.
    pub const fn message(self) -> &'static str {
        self.trap().message()
    }

    /// A name usable as a function name (`invalid-utf8`).
    pub const fn name(self) -> &'static str {
        match self {
            AdapterTrap::InvalidUtf8 => "invalid-utf8",
            AdapterTrap::InvalidUtf16 => "invalid-utf16",
            AdapterTrap::StringOutOfBounds => "string-out-of-bounds",
            AdapterTrap::ListOutOfBounds => "list-out-of-bounds",
            AdapterTrap::UnalignedPointer => "unaligned-pointer",
            AdapterTrap::PointerOutOfBounds => "pointer-out-of-bounds",
            AdapterTrap::InvalidChar => "invalid-char",
            AdapterTrap::InvalidDiscriminant => "invalid-discriminant",
            AdapterTrap::CannotEnterComponent => "cannot-enter-component",
            AdapterTrap::CannotLeaveComponent => "cannot-leave-component",
            AdapterTrap::InvalidHandle => "invalid-handle",
            AdapterTrap::HandleStillBorrowed => "handle-still-borrowed",
            AdapterTrap::ExceptionLeftComponent => "exception-left-component",
        }
    }
}

impl fmt::Display for AdapterTrap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

/// What an import of an adapter module stands for, so the flattener knows
/// what to bind it to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportRole {
    /// The caller's `memory` canonical option.
    CallerMemory,
    /// The caller's `realloc` (results with strings or lists).
    CallerRealloc,
    /// The callee's `memory` canonical option.
    CalleeMemory,
    /// The callee's `realloc` (parameters with strings or lists, or
    /// parameters passed through memory).
    CalleeRealloc,
    /// The core function the callee lifted.
    CalleeFunction,
    /// The callee's `post-return`.
    CalleePostReturn,
    /// The flags global of component instance N.
    Flags(u32),
    /// The `trap` intrinsic.
    Trap,
    ResourceTransferOwn,
    ResourceTransferBorrow,
    ResourceEnterCall,
    ResourceExitCall,
}

/// The kind and type of an import.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportKind {
    /// A function with these core parameters and results.
    Func {
        params: Vec<CoreType>,
        results: Vec<CoreType>,
    },
    /// A 32-bit memory (any size).
    Memory,
    /// A mutable `i32` global.
    MutableI32Global,
}

/// One import of an adapter module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdapterImport {
    pub module: String,
    pub name: String,
    pub kind: ImportKind,
    pub role: ImportRole,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trap_codes_round_trip() {
        for t in AdapterTrap::ALL {
            assert_eq!(AdapterTrap::from_code(t.code()), Some(t));
        }
        assert_eq!(AdapterTrap::from_code(0), None);
        assert_eq!(
            AdapterTrap::from_code(wasmlink_abi::Trap::Unreachable.code()),
            None
        );
        assert_eq!(AdapterTrap::InvalidUtf8.to_string(), "invalid utf-8");
    }
}
