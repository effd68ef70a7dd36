//! WASI 0.2 in lowered form.
//!
//! Every import of a WASI 0.2 function (`wasi:io/streams@0.2.N`
//! `[method]output-stream.write`, as wit-bindgen emits it, or a
//! component's `canon lower` of it) is the C function
//! `wasmlink_wasi2_NAME(cx, params…)` of its row in
//! `wasmlink_abi::foreach_wasi2_fn!`, with the flattened core signature of
//! the canonical ABI. `cx` is the import's static
//! [`LowerContext`]: the caller's memory, its `realloc` trampoline, the
//! string encoding and the component instance whose handle table
//! ([`handles`]) its resources live in. The functions ([`exports`]) are
//! generated from the rows as thin exports around the function of the
//! same name in [`imp`], run through [`dispatch`] with a [`Call`]: the
//! program's one WASI state (shared with preview 1: arguments,
//! environment, preopened directories) and the caller's handle table.
//!
//! A call that must trap (a bad handle, an out-of-bounds list, invalid
//! UTF-8) leaves a [`Trap`] code in the context; the generated caller
//! traps with it, so the report names the calling function.
//!
//! The interfaces:
//!
//! | module | interfaces |
//! | --- | --- |
//! | [`cli`] | `wasi:cli` environment, exit, stdin/stdout/stderr, terminal-* |
//! | [`streams`], [`poll`] | `wasi:io` error, streams, poll |
//! | [`clocks`] | `wasi:clocks` monotonic-clock, wall-clock |
//! | [`random`] | `wasi:random` random, insecure, insecure-seed |
//! | [`filesystem`], [`fs_open`], `fs_embed` | `wasi:filesystem` types, preopens (paths through the sandbox of `crate::wasi::path`, shared with preview 1; embedded files through `crate::embed`) |
//! | [`sockets`], [`tcp`], [`tcp_options`], [`udp`] | `wasi:sockets` network, instance-network, ip-name-lookup, tcp, udp |

pub mod call;
pub mod canon;
pub mod cli;
pub mod clocks;
pub mod filesystem;
mod fs_embed;
pub mod fs_open;
pub mod fs_types;
pub mod handles;
pub mod poll;
pub mod random;
pub mod resources;
pub mod sockets;
pub mod streams;
pub mod tcp;
pub mod tcp_options;
pub mod udp;

pub use call::{Call, Lowered};

use crate::wasi::WasiCtx;
use alloc::collections::BTreeMap;
use alloc::vec::Vec;
use handles::HandleTable;
use wasmlink_abi::{LowerContext, Trap};

/// The WASI 0.2 state of the program: one handle table per component
/// instance, and the preopened directories as 0.2 sees them.
#[derive(Debug, Default)]
pub struct Wasi2State {
    tables: BTreeMap<u32, HandleTable>,
    /// (guest name, directory), taken from the preview 1 table's preopens
    /// when first asked for.
    preopens: Option<Vec<(Vec<u8>, resources::Backing)>>,
    /// Whether sockets may bind, connect and accept (wasmtime's
    /// `-S inherit-network`); off by default, as in wasmtime.
    pub network: bool,
    /// Calls between component instances that lend handles, innermost
    /// last (`canon::canon_resource_enter_call`).
    pub scopes: Vec<canon::CallScope>,
    /// Whether `ip-name-lookup` may resolve names (wasmtime's
    /// `-S allow-ip-name-lookup`, separate from the network as there);
    /// off by default.
    pub ip_name_lookup: bool,
}

impl Wasi2State {
    /// The handle table of component instance `instance`.
    pub fn table(&mut self, instance: u32) -> &mut HandleTable {
        self.tables.entry(instance).or_default()
    }
}

/// Run one lowered call against the program's WASI state (`is_drop`: the
/// call is a `[resource-drop]`). A trap is left
/// in the context's trap cell (the result is then a zero the caller never
/// uses). A call made while another is running — from the caller's
/// `realloc`, which runs guest code in the middle of a call — traps with
/// [`Trap::CannotLeaveInstance`], as the component model forbids it. (A
/// panic, a runtime bug, cannot unwind into generated code: it aborts
/// the process, see `crate::platform`.)
///
/// # Safety
/// `cx` points to the caller's live `LowerContext` (the generated code
/// passes its import's static one).
pub unsafe fn dispatch<R: Default>(
    cx: *mut LowerContext,
    is_drop: bool,
    f: impl FnOnce(&mut Call) -> Lowered<R>,
) -> R {
    let r = crate::wasi::with_ctx_unless_busy(|ctx: Option<&mut WasiCtx>| {
        let Some(ctx) = ctx else {
            return Err(Trap::CannotLeaveInstance);
        };
        // SAFETY: `cx` is live (this function's contract); `flags` is
        // null or points to the caller's flags global, an `i32` in a
        // vmctx that lives as long as the program.
        let may_leave = unsafe {
            let flags = (*cx).flags;
            flags.is_null() || flags.read() & wasmlink_abi::FLAG_MAY_LEAVE != 0
        };
        if !may_leave {
            return Err(Trap::CannotLeaveInstance);
        }
        // SAFETY: `cx` is live (this function's contract).
        let mut call = unsafe { Call::new(cx, ctx) };
        let r = f(&mut call);
        // A WASI resource borrowed from another component instance
        // that was dropped goes back to its lender: the end of a
        // borrow for a drop, a trap for anything else.
        let table = call.instance();
        canon::give_back(&mut call, table);
        match r {
            Err(Trap::BorrowEnded) if is_drop => Ok(R::default()),
            Err(Trap::BorrowEnded) => Err(Trap::HandleStillBorrowed),
            r => r,
        }
    });
    let trap = match r {
        Ok(v) => return v,
        Err(t) => t,
    };
    // SAFETY: `cx` is live and writable (static, writable data of the
    // object); nothing else holds a reference to it during the call.
    unsafe { (*cx).trap = trap.code() };
    R::default()
}

/// The functions behind the exports, one per row, by the row's name.
pub mod imp {
    pub use super::canon::*;
    pub use super::cli::*;
    pub use super::clocks::*;
    pub use super::filesystem::*;
    pub use super::fs_open::*;
    pub use super::poll::*;
    pub use super::random::*;
    pub use super::sockets::*;
    pub use super::streams::*;
    pub use super::tcp::*;
    pub use super::tcp_options::*;
    pub use super::udp::*;
}

/// Define the exported `wasmlink_wasi2_*` functions from the contract's
/// rows: each runs the function of the same name in [`imp`] (taking
/// `(&mut Call, params…)` and returning `Lowered<result>`) through
/// [`dispatch`]. A row whose function is missing or has another signature
/// does not compile.
macro_rules! define_wasi2_exports {
    ($( $iface:literal $func:literal $name:ident [$symbol:expr] ( $($p:ident : $t:ident),* ) -> $r:tt; )*) => {
        $( define_wasi2_exports!(@one $iface $func $name [$symbol] ($($p : $t),*) -> $r); )*
    };
    (@one $iface:literal $func:literal $name:ident [$symbol:expr] ($($p:ident : $t:ident),*) -> ()) => {
        #[doc = concat!("`", $iface, "` `", $func, "` in lowered form.")]
        ///
        /// # Safety
        /// `cx` points to the caller's live `LowerContext`.
        #[export_name = $symbol]
        pub unsafe extern "C" fn $name(cx: *mut LowerContext, $($p: $t),*) {
            if crate::preinit::active() {
                crate::preinit::lowered_call($iface, $func);
            }
            // SAFETY: the caller guarantees `cx` (this function's contract).
            unsafe {
                super::dispatch(cx, $func.starts_with("[resource-drop]"), |c| {
                    super::imp::$name(c, $($p),*)
                })
            }
        }
    };
    (@one $iface:literal $func:literal $name:ident [$symbol:expr] ($($p:ident : $t:ident),*) -> $r:ident) => {
        #[doc = concat!("`", $iface, "` `", $func, "` in lowered form.")]
        ///
        /// # Safety
        /// `cx` points to the caller's live `LowerContext`.
        #[export_name = $symbol]
        pub unsafe extern "C" fn $name(cx: *mut LowerContext, $($p: $t),*) -> $r {
            if crate::preinit::active() {
                crate::preinit::lowered_call($iface, $func);
            }
            // SAFETY: the caller guarantees `cx` (this function's contract).
            unsafe { super::dispatch(cx, false, |c| super::imp::$name(c, $($p),*)) }
        }
    };
}

/// The exported WASI 0.2 functions, one per row of
/// `wasmlink_abi::foreach_wasi2_fn!`.
pub mod exports {
    use wasmlink_abi::LowerContext;

    wasmlink_abi::foreach_wasi2_fn!(define_wasi2_exports);
    wasmlink_abi::foreach_canon_fn!(define_wasi2_exports);
}
