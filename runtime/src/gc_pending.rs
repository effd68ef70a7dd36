//! Placeholder for the GC heap while the collector is being written: the
//! allocation entry point of the contract, backed by `calloc`, never
//! collected. Replaced by `crate::gc`.

use wasmlink_abi::gc::{GcHeader, GcTypeInfo, GC_KIND_ARRAY};

/// See `wasmlink_abi::foreach_runtime_fn!`'s `GcAlloc`.
///
/// # Safety
/// `info` points to a `GcTypeInfo` the compiler emitted.
#[no_mangle]
pub unsafe extern "C" fn wasmlink_gc_alloc(info: *const GcTypeInfo, length: u32) -> *mut GcHeader {
    // SAFETY: the caller passes a type info of the program.
    let t = unsafe { &*info };
    let payload = if t.kind == GC_KIND_ARRAY {
        match u64::from(t.size).checked_mul(u64::from(length)) {
            Some(n) if n <= 1 << 32 => n,
            _ => return core::ptr::null_mut(),
        }
    } else {
        u64::from(t.size)
    };
    let total = payload as usize + core::mem::size_of::<GcHeader>();
    // SAFETY: calloc has no preconditions.
    let p = unsafe { libc::calloc(1, total) }.cast::<GcHeader>();
    if !p.is_null() {
        // SAFETY: `p` is a fresh allocation of at least a header.
        unsafe {
            p.write(GcHeader {
                type_info: info,
                gc_bits: 0,
                length,
            })
        };
    }
    p
}
