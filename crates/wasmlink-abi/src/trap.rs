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
}

impl Trap {
    pub const ALL: [Trap; 17] = [
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
