//! Thread-local `Cell`s without `std`: `thread_local_cells!` declares
//! them as `std::thread_local!` declares `const`-initialised ones, and
//! they are used the same way (`NAME.with(Cell::get)`).
//!
//! Stable Rust has no `#[thread_local]` outside `std`, so each cell is an
//! ELF thread-local symbol defined in assembly (`.tbss`: every thread's
//! copy starts zeroed) and reached with the local-exec sequence the
//! x86-64 TLS ABI defines for the executable's own variables: the thread
//! pointer (`fs:0`, which the ABI requires to point to itself) plus the
//! symbol's link-time offset (`@tpoff`). That is what `std`'s
//! thread-locals become once linked into an executable (the linker relaxes
//! their accesses to it): a few instructions, no call, no lock, no
//! allocation, so a cell may be used in a signal handler and costs a WASI
//! call nothing measurable. The runtime is only ever linked into
//! executables (the program, the unit-test binary); linked into a shared
//! object, the `@tpoff` relocation would be refused by the linker.
//!
//! A cell starts as all-zero bytes, so its type must be [`ZeroInit`]: a
//! `bool` starts `false`, a pointer null, an integer 0. Cells have no
//! destructor.

/// A type whose all-zero bytes are a valid value: the initial value of a
/// thread-local cell.
///
/// # Safety
/// Every byte of the type zero must be a valid value.
pub unsafe trait ZeroInit {}

// SAFETY: zero is `false`, `0` or null.
unsafe impl ZeroInit for bool {}
// SAFETY: as above.
unsafe impl ZeroInit for u32 {}
// SAFETY: as above.
unsafe impl ZeroInit for usize {}
// SAFETY: as above.
unsafe impl<T> ZeroInit for *const T {}
// SAFETY: as above.
unsafe impl<T> ZeroInit for *mut T {}
// SAFETY: a pair of zero-valid fields (padding may hold anything).
unsafe impl<A: ZeroInit, B: ZeroInit> ZeroInit for (A, B) {}

/// A thread-local `Cell<T>` declared with `thread_local_cells!`.
pub struct LocalCell<T: ZeroInit + 'static> {
    /// The calling thread's copy (generated per cell; it reads the TLS
    /// symbol's address).
    address: fn() -> *mut core::cell::Cell<T>,
}

impl<T: ZeroInit + 'static> LocalCell<T> {
    /// Only `thread_local_cells!` makes these.
    ///
    /// # Safety
    /// `address` returns the address of the calling thread's own copy of
    /// a `T`, aligned, zero-initialised for each thread, and used as
    /// nothing else.
    #[doc(hidden)]
    pub const unsafe fn new(address: fn() -> *mut core::cell::Cell<T>) -> LocalCell<T> {
        LocalCell { address }
    }

    /// Run `f` with this thread's cell.
    #[inline(always)]
    pub fn with<R>(&'static self, f: impl FnOnce(&core::cell::Cell<T>) -> R) -> R {
        // SAFETY: the thread's copy lives as long as the thread, which
        // outlives this call; a `Cell` is never shared with other threads
        // (each has its own copy) and starts as a valid `T` (`ZeroInit`).
        f(unsafe { &*(self.address)() })
    }
}

/// Declare thread-local cells:
///
/// ```ignore
/// thread_local_cells! {
///     /// Whether this thread is inside a call.
///     static IN_CALL: Cell<bool>;
/// }
/// ```
///
/// Each is a [`LocalCell`] starting zeroed in every thread. Declare them
/// at module level (they define an assembly symbol,
/// `__wasmlink_tls_NAME`: two cells of the same name in the crate are
/// refused by the assembler or the linker).
macro_rules! thread_local_cells {
    ($($(#[$attr:meta])* $vis:vis static $name:ident: Cell<$t:ty>;)+) => {$(
        core::arch::global_asm!(
            concat!(".pushsection .tbss.__wasmlink_tls_", stringify!($name), ",\"awT\",@nobits"),
            ".p2align {align}",
            concat!(".globl __wasmlink_tls_", stringify!($name)),
            concat!(".hidden __wasmlink_tls_", stringify!($name)),
            concat!(".type __wasmlink_tls_", stringify!($name), ",@object"),
            concat!(".size __wasmlink_tls_", stringify!($name), ", {size}"),
            concat!("__wasmlink_tls_", stringify!($name), ":"),
            ".zero {size}",
            ".popsection",
            align = const core::mem::align_of::<$t>().trailing_zeros(),
            size = const core::mem::size_of::<$t>(),
        );
        $(#[$attr])*
        $vis static $name: $crate::platform::thread_local::LocalCell<$t> = {
            fn address() -> *mut core::cell::Cell<$t> {
                let p: *mut core::cell::Cell<$t>;
                // SAFETY: reads the thread pointer, which points to
                // itself (x86-64 TLS ABI), and adds the symbol's offset in
                // the executable's TLS block: no memory is written, and
                // the result is the same for the whole life of a thread.
                unsafe {
                    core::arch::asm!(
                        "mov {p}, qword ptr fs:[0]",
                        concat!("lea {p}, [{p} + __wasmlink_tls_", stringify!($name), "@tpoff]"),
                        p = out(reg) p,
                        options(pure, nomem, nostack, preserves_flags),
                    )
                };
                p
            }
            // SAFETY: `address` gives each thread its own zeroed copy of
            // a `$t` (the symbol above: aligned, sized, in `.tbss`), which
            // nothing else uses; `LocalCell` requires `$t: ZeroInit`.
            unsafe { $crate::platform::thread_local::LocalCell::new(address) }
        };
    )+};
}

pub(crate) use thread_local_cells;

#[cfg(test)]
mod tests {
    use core::cell::Cell;

    thread_local_cells! {
        static TEST_FLAG: Cell<bool>;
        static TEST_PAIR: Cell<(u32, *const u8)>;
    }

    #[test]
    fn every_thread_has_its_own_zeroed_cells() {
        assert!(!TEST_FLAG.with(Cell::get));
        TEST_FLAG.with(|c| c.set(true));
        TEST_PAIR.with(|c| c.set((7, c"x".as_ptr().cast())));
        std::thread::spawn(|| {
            assert!(!TEST_FLAG.with(Cell::get));
            assert_eq!(TEST_PAIR.with(Cell::get), (0, core::ptr::null()));
            TEST_PAIR.with(|c| c.set((9, core::ptr::null())));
        })
        .join()
        .unwrap();
        assert!(TEST_FLAG.with(Cell::get));
        assert_eq!(TEST_PAIR.with(Cell::get).0, 7);
    }
}
