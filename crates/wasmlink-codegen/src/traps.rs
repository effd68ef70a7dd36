//! Wasm traps ([`Trap`], numbered by the runtime contract) as the Cranelift
//! trap codes generated code raises, and back: Cranelift reports the trap
//! sites of compiled code with its codes, the trap table stores the
//! contract's numbers.

use cranelift_codegen::ir::TrapCode;
use wasmlink_abi::Trap;

/// The Cranelift trap code generated code uses for `trap`. Cranelift's own
/// codes where it raises them itself (stack checks, division, conversions,
/// heap accesses); the others are user codes equal to the trap's number.
pub fn clif_trap(trap: Trap) -> TrapCode {
    match trap {
        Trap::StackOverflow => TrapCode::STACK_OVERFLOW,
        Trap::MemoryOutOfBounds => TrapCode::HEAP_OUT_OF_BOUNDS,
        Trap::IntegerDivideByZero => TrapCode::INTEGER_DIVISION_BY_ZERO,
        Trap::IntegerOverflow => TrapCode::INTEGER_OVERFLOW,
        Trap::BadConversionToInteger => TrapCode::BAD_CONVERSION_TO_INTEGER,
        other => TrapCode::unwrap_user(
            u8::try_from(other.code()).expect("trap numbers fit a Cranelift user code"),
        ),
    }
}

/// The trap a Cranelift trap code stands for, if it is one of ours.
pub fn trap_of(code: TrapCode) -> Option<Trap> {
    Trap::ALL.into_iter().find(|t| clif_trap(*t) == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_trap_has_its_own_code() {
        for t in Trap::ALL {
            assert_eq!(trap_of(clif_trap(t)), Some(t));
        }
        assert_eq!(trap_of(TrapCode::unwrap_user(200)), None);
    }
}
