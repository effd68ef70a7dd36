//! Trap codes and their messages.

/// Why generated code trapped. The number is what a [`crate::TrapSite`]
/// stores; the runtime prints `wasm trap: <message> in <function>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum Trap {
    StackOverflow = 1,
    MemoryOutOfBounds = 2,
    IntegerDivideByZero = 3,
    IntegerOverflow = 4,
    BadConversionToInteger = 5,
    Unreachable = 6,
    TableOutOfBounds = 7,
    UndefinedElement = 8,
    UninitializedElement = 9,
    IndirectCallTypeMismatch = 10,
    NullReference = 11,
    /// An imported memory or table is smaller than the import requires
    /// (checked when instantiating, since memories and tables can grow
    /// before a later instance links to them).
    IncompatibleImport = 12,
    /// A lowered host call named a resource handle that is not in the
    /// caller's handle table, or one of another resource type.
    InvalidResourceHandle = 13,
    /// A resource was dropped while resources made from it (a pollable
    /// of a stream) were still alive.
    ResourceHasChildren = 14,
    /// A lowered host call was given a string that is not valid in the
    /// string encoding of its options.
    InvalidString = 15,
    /// A lowered host call was given a value outside its type (an enum,
    /// variant or flags value), or used in a way its interface forbids
    /// (more than 4096 bytes to `blocking-write-and-flush`, a list result
    /// without a `realloc`).
    InvalidArgument = 16,
    /// A lowered host call was made while another was still running (from
    /// the caller's `cabi_realloc`).
    CannotLeaveInstance = 17,
    // Traps of fused adapters (calls between component instances) and of
    // handle tables, worded as wasmtime words them.
    /// A string in UTF-8 is not valid UTF-8.
    InvalidUtf8 = 18,
    /// A UTF-16 string holds an unpaired surrogate.
    InvalidUtf16 = 19,
    /// A string's bytes lie outside its memory, or it is too long.
    StringOutOfBounds = 20,
    /// A list's bytes lie outside its memory, or it is too long.
    ListOutOfBounds = 21,
    /// A pointer is not aligned for the type it points to.
    UnalignedPointer = 22,
    /// A pointer from `realloc`, to spilled parameters or results, or a
    /// return area lies outside its memory.
    PointerOutOfBounds = 23,
    /// A `char` is not a Unicode scalar value.
    InvalidChar = 24,
    /// A variant, enum, option or result discriminant names no case.
    InvalidDiscriminant = 25,
    /// A call would enter a component instance already on the stack.
    CannotEnterInstance = 26,
    /// A handle is not in its table, of another type, or not owned where
    /// ownership moves.
    UnknownHandle = 27,
    /// An owned handle moved or dropped while lent, or a callee returned
    /// without dropping the handles it borrowed.
    HandleStillBorrowed = 28,
    /// Not a trap: a WASI handle borrowed from another component instance
    /// was dropped, which gives the resource back to its owner. Runtime
    /// internal; generated code never sees it.
    BorrowEnded = 29,
    /// `call_ref` or `return_call_ref` of a null function reference.
    NullFunctionReference = 30,
    /// An atomic access at an address not aligned to its size.
    UnalignedAtomic = 31,
    /// `memory.atomic.wait` on a memory that is not shared.
    ExpectedSharedMemory = 32,
    /// An exception no handler caught unwound to the program's entry (or
    /// to a call from the runtime into generated code).
    UncaughtException = 33,
    /// `throw_ref` of a null `exnref`.
    NullExceptionReference = 34,
    /// An exception left a component's export: exceptions never cross a
    /// component boundary (the fused adapter traps).
    ExceptionLeftComponent = 35,
    /// A function the build found unreachable ran: never happens unless
    /// the dead-code analysis (`--wpo dead-code`) is wrong.
    DeadCode = 36,
    /// `struct.get`/`struct.set` of a null struct reference.
    NullStructReference = 37,
    /// An array operator on a null array reference.
    NullArrayReference = 38,
    /// `i31.get_s`/`i31.get_u` of a null `i31ref`.
    NullI31Reference = 39,
    /// `ref.cast` of a value that is not of the type.
    CastFailure = 40,
    /// An array access or bulk operator out of the array's bounds.
    ArrayOutOfBounds = 41,
    /// A GC object could not be allocated (out of memory, or an array
    /// longer than the implementation's limit).
    AllocationFailure = 42,
}

impl Trap {
    pub const ALL: [Trap; 42] = [
        Trap::StackOverflow,
        Trap::MemoryOutOfBounds,
        Trap::IntegerDivideByZero,
        Trap::IntegerOverflow,
        Trap::BadConversionToInteger,
        Trap::Unreachable,
        Trap::TableOutOfBounds,
        Trap::UndefinedElement,
        Trap::UninitializedElement,
        Trap::IndirectCallTypeMismatch,
        Trap::NullReference,
        Trap::IncompatibleImport,
        Trap::InvalidResourceHandle,
        Trap::ResourceHasChildren,
        Trap::InvalidString,
        Trap::InvalidArgument,
        Trap::CannotLeaveInstance,
        Trap::InvalidUtf8,
        Trap::InvalidUtf16,
        Trap::StringOutOfBounds,
        Trap::ListOutOfBounds,
        Trap::UnalignedPointer,
        Trap::PointerOutOfBounds,
        Trap::InvalidChar,
        Trap::InvalidDiscriminant,
        Trap::CannotEnterInstance,
        Trap::UnknownHandle,
        Trap::HandleStillBorrowed,
        Trap::BorrowEnded,
        Trap::NullFunctionReference,
        Trap::UnalignedAtomic,
        Trap::ExpectedSharedMemory,
        Trap::UncaughtException,
        Trap::NullExceptionReference,
        Trap::ExceptionLeftComponent,
        Trap::DeadCode,
        Trap::NullStructReference,
        Trap::NullArrayReference,
        Trap::NullI31Reference,
        Trap::CastFailure,
        Trap::ArrayOutOfBounds,
        Trap::AllocationFailure,
    ];

    /// The number a trap site stores for this trap.
    pub const fn code(self) -> u32 {
        self as u32
    }

    /// The trap a trap site's number stands for, if any.
    pub fn from_code(code: u32) -> Option<Trap> {
        Trap::ALL.into_iter().find(|t| t.code() == code)
    }

    /// The spec's wording (what `assert_trap` expects).
    pub const fn message(self) -> &'static str {
        match self {
            Trap::StackOverflow => "call stack exhausted",
            Trap::MemoryOutOfBounds => "out of bounds memory access",
            Trap::IntegerDivideByZero => "integer divide by zero",
            Trap::IntegerOverflow => "integer overflow",
            Trap::BadConversionToInteger => "invalid conversion to integer",
            Trap::Unreachable => "unreachable",
            Trap::TableOutOfBounds => "out of bounds table access",
            Trap::UndefinedElement => "undefined element",
            Trap::UninitializedElement => "uninitialized element",
            Trap::IndirectCallTypeMismatch => "indirect call type mismatch",
            Trap::NullReference => "null reference",
            Trap::IncompatibleImport => "incompatible import type",
            Trap::InvalidResourceHandle => "invalid resource handle",
            Trap::ResourceHasChildren => "resource has children",
            Trap::InvalidString => "invalid string encoding",
            Trap::InvalidArgument => "invalid argument to a WASI call",
            Trap::CannotLeaveInstance => "cannot leave component instance",
            Trap::InvalidUtf8 => "invalid utf-8",
            Trap::InvalidUtf16 => "invalid utf-16",
            Trap::StringOutOfBounds => "string content out-of-bounds",
            Trap::ListOutOfBounds => "list content out-of-bounds",
            Trap::UnalignedPointer => "unaligned pointer",
            Trap::PointerOutOfBounds => "beyond end of memory",
            Trap::InvalidChar => "invalid `char` bit pattern",
            Trap::InvalidDiscriminant => "invalid variant discriminant",
            Trap::CannotEnterInstance => "cannot enter component instance",
            Trap::UnknownHandle => "unknown handle index",
            Trap::HandleStillBorrowed => "cannot remove owned resource while borrowed",
            Trap::BorrowEnded => "borrowed handle dropped",
            Trap::NullFunctionReference => "null function reference",
            Trap::UnalignedAtomic => "unaligned atomic",
            Trap::ExpectedSharedMemory => "expected shared memory",
            Trap::UncaughtException => "uncaught exception",
            Trap::NullExceptionReference => "null exception reference",
            Trap::ExceptionLeftComponent => "uncaught exception propagated out of component",
            Trap::DeadCode => {
                "call of a function removed as dead code (a wasmlink bug: build with --wpo none)"
            }
            Trap::NullStructReference => "null structure reference",
            Trap::NullArrayReference => "null array reference",
            Trap::NullI31Reference => "null i31 reference",
            Trap::CastFailure => "cast failure",
            Trap::ArrayOutOfBounds => "out of bounds array access",
            Trap::AllocationFailure => "allocation failure",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_nothing_else_is_a_trap() {
        for t in Trap::ALL {
            assert_eq!(Trap::from_code(t.code()), Some(t));
        }
        assert_eq!(Trap::from_code(0), None);
        assert_eq!(Trap::from_code(Trap::ALL.len() as u32 + 1), None);
        assert_eq!(Trap::StackOverflow.message(), "call stack exhausted");
    }
}
