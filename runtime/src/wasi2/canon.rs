//! The runtime's own lowered functions (`wasmlink_abi::foreach_canon_fn!`),
//! called by generated code rather than by guests: fused adapters between
//! component instances report what the canonical ABI forbids through
//! `trap`, so the trap report names the reason and the adapter function.

use super::{Call, Lowered};
use wasmlink_abi::Trap;

/// `trap(code)`: always a trap, the one `code` stands for (`unreachable`
/// for a code that stands for none, which generated code never passes).
pub fn canon_trap(_: &mut Call, code: i32) -> Lowered<()> {
    Err(u32::try_from(code)
        .ok()
        .and_then(Trap::from_code)
        .unwrap_or(Trap::Unreachable))
}
