//! The runtime's side of the contract in `wasmlink_abi`, expanded from the
//! same rows the compiler uses:
//!
//! * [`object`]: the symbols the generated object defines, declared with
//!   the types the runtime reads them as;
//! * compile-time checks that each runtime function generated code calls
//!   ([`wasmlink_abi::foreach_runtime_fn!`]) is defined with exactly the
//!   row's signature (a mismatch does not compile);
//! * the WASI exports are generated from their rows in [`crate::wasi`];
//! * `wasi.thread-spawn`'s function has the contract's type.

/// Declare the object's symbols.
#[cfg(not(test))]
macro_rules! declare_object_symbols {
    (
        functions { $( $(#[$fdoc:meta])* $fconst:ident = $fsym:ident ( $($p:ident : $pt:ty),* ); )* }
        data { $( $(#[$ddoc:meta])* $dconst:ident = $dsym:ident : $dt:ty; )* }
        writable { $( $(#[$wdoc:meta])* $wconst:ident = $wsym:ident : $wt:ty; )* }
    ) => {
        extern "C" {
            $( $(#[$fdoc])* pub fn $fsym($($p: $pt),*); )*
            $( $(#[$ddoc])* pub static $dsym: $dt; )*
            $( $(#[$wdoc])* pub static mut $wsym: $wt; )*
        }
    };
}

/// The symbols the generated object defines. Unit tests link without an
/// object, so the paths that use these are replaced under `cfg(test)`.
#[cfg(not(test))]
pub mod object {
    wasmlink_abi::foreach_object_symbol!(declare_object_symbols);
}

/// Check each runtime function's definition against its row.
macro_rules! check_runtime_fns {
    ($(
        $(#[$doc:meta])*
        $variant:ident = $symbol:ident ( $($param:ident : $ty:ty),* $(,)? ) -> $result:ty;
    )*) => {
        $( const _: unsafe extern "C" fn($($ty),*) -> $result = $symbol; )*
    };
}

mod runtime_fns {
    use crate::atomics::{wasmlink_atomic_notify, wasmlink_atomic_wait32, wasmlink_atomic_wait64};
    use crate::exceptions::{
        wasmlink_exception_done, wasmlink_exception_hold, wasmlink_exception_new,
        wasmlink_exception_release, wasmlink_throw,
    };
    use crate::gc::wasmlink_gc_alloc;
    use crate::image::wasmlink_memory_image;
    use crate::memory::{
        wasmlink_memory_copy, wasmlink_memory_fill, wasmlink_memory_grow, wasmlink_memory_init,
        wasmlink_memory_new,
    };
    use crate::preinit::{wasmlink_preinit_enter, wasmlink_preinit_snapshot};
    use crate::table::{
        wasmlink_table_copy, wasmlink_table_fill, wasmlink_table_grow, wasmlink_table_init,
        wasmlink_table_new,
    };

    wasmlink_abi::foreach_runtime_fn!(check_runtime_fns);
}

const _: wasmlink_abi::ThreadSpawnFn = crate::threads::wasmlink_thread_spawn;
