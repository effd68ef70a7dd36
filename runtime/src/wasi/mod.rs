//! WASI preview 1.
//!
//! Every import `wasi_snapshot_preview1.NAME` is the C function
//! `wasmlink_wasi_NAME(mem, params…) -> i32` (the errno) listed in
//! `wasmlink_abi::foreach_wasi_fn!`, where `mem` is the calling instance's
//! linear memory (null when it has none: any access then fails with
//! `FAULT`). The functions ([`exports`]) are generated from that list as
//! thin exports around methods of [`WasiCtx`] (the process-wide state:
//! arguments, environment and the fd table), so tests can drive the
//! methods on a private context and a host-buffer memory without any
//! generated code.
//!
//! The host calls here rest on two invariants, which the `SAFETY`
//! comments refer to:
//!
//! * descriptors: every host descriptor handed to the kernel comes from
//!   the fd table ([`fdtable`]), which owns it (or, for stdio, borrows it
//!   for the life of the process) and keeps it open for the whole call:
//!   the context is locked and borrowed mutably for the call, so no entry
//!   can be closed or replaced meanwhile. A call can therefore never act
//!   on a descriptor some other part of the program owns;
//! * guest memory: every guest address handed to the kernel or copied
//!   through comes from [`guest::GuestMem`], which checks the whole region
//!   against the memory's current length. Memories never shrink and their
//!   base never moves, so a checked region stays valid for the call, even
//!   while other threads (wasi-threads) use a shared memory. No Rust
//!   reference into guest memory is ever made, so neither overlapping
//!   buffers nor other threads writing the same bytes can alias one.
//!
//! The context is one, behind a lock: with wasi-threads, calls from
//! different threads run one at a time (a call that blocks — reading a
//! terminal, waiting for an fd in `poll_oneoff` — holds the others up
//! meanwhile), except a `poll_oneoff` on clocks alone (a sleep), which
//! needs no context and runs without it.

pub mod args;
pub mod clock;
pub mod dir;
mod embedded;
pub mod errno;
pub mod fd;
pub mod fdtable;
pub mod fs_ops;
pub mod guest;
pub mod path;
pub mod path_ops;
pub mod poll;
pub mod proc;
pub mod random;
pub mod rights;
pub mod sock;
pub mod types;

use crate::platform::fd::OwnedFd;
use crate::platform::lock::Mutex;
use crate::platform::thread_local::thread_local_cells;
use alloc::vec::Vec;
use core::cell::Cell;
use errno::WasiResult;
use fdtable::{FdEntry, FdTable};
use guest::GuestMem;
use wasmlink_abi::VMMemory;

/// A program argument or a `NAME=VALUE` environment entry: borrowed from
/// the process's own `argv` and `envp` (which live as long as it does, and
/// which the runtime never changes), so start-up copies none of them, or
/// owned when the configuration or the runtime flags made it.
pub type HostBytes = alloc::borrow::Cow<'static, [u8]>;

/// The WASI state of the program.
#[derive(Debug, Default)]
pub struct WasiCtx {
    /// Program arguments, without their NUL terminators.
    pub args: Vec<HostBytes>,
    /// `KEY=VALUE` environment entries, without NUL terminators.
    pub env: Vec<HostBytes>,
    pub fds: FdTable,
    /// WASI 0.2's state (handle tables), beside preview 1's.
    pub p2: crate::wasi2::Wasi2State,
}

/// A preopened directory: a host directory, or embedded files.
#[derive(Debug)]
pub enum Preopen {
    Host(OwnedFd),
    Embedded(crate::embed::EmbeddedNode),
}

impl WasiCtx {
    /// A context with stdio at 0..=2 and `preopens` (guest name, directory)
    /// at 3, 4, ….
    pub fn new(
        args: Vec<HostBytes>,
        env: Vec<HostBytes>,
        preopens: Vec<(Vec<u8>, OwnedFd)>,
    ) -> WasiCtx {
        let preopens = preopens
            .into_iter()
            .map(|(name, dir)| (name, Preopen::Host(dir)))
            .collect();
        WasiCtx::with_preopens(args, env, preopens)
    }

    /// [`WasiCtx::new`] with preopened directories of either kind.
    pub fn with_preopens(
        args: Vec<HostBytes>,
        env: Vec<HostBytes>,
        preopens: Vec<(Vec<u8>, Preopen)>,
    ) -> WasiCtx {
        let mut fds = FdTable::default();
        for fd in 0..3 {
            fds.insert_at(fd, FdEntry::stdio(fd as i32));
        }
        for (i, (name, dir)) in preopens.into_iter().enumerate() {
            let entry = match dir {
                Preopen::Host(dir) => FdEntry::preopen(dir, name),
                Preopen::Embedded(node) => FdEntry {
                    preopen: Some(name),
                    ..FdEntry::embedded(node)
                },
            };
            fds.insert_at(3 + i as u32, entry);
        }
        WasiCtx {
            args,
            env,
            fds,
            p2: Default::default(),
        }
    }
}

/// The program's context; installed by `main` before the program starts.
static CTX: Mutex<Option<WasiCtx>> = Mutex::new(None);

thread_local_cells! {
    /// Whether this thread holds [`CTX`] (it is inside a call).
    static IN_CALL: Cell<bool>;
}

/// Marks this thread as inside a call while it lives.
struct InCall;

impl InCall {
    fn enter() -> InCall {
        IN_CALL.with(|c| c.set(true));
        InCall
    }
}

impl Drop for InCall {
    fn drop(&mut self) {
        IN_CALL.with(|c| c.set(false));
    }
}

/// Make `ctx` the program's WASI state.
pub fn install(ctx: WasiCtx) {
    *CTX.lock() = Some(ctx);
}

/// Run `f` with the program's context, or with `None` when this thread is
/// already running a WASI call (a call made from guest code a call runs:
/// the caller's `realloc` during a WASI 0.2 call). A call of another
/// thread is waited for.
pub fn with_ctx_unless_busy<R>(f: impl FnOnce(Option<&mut WasiCtx>) -> R) -> R {
    if IN_CALL.with(Cell::get) {
        return f(None);
    }
    let mut guard = CTX.lock();
    let _in_call = InCall::enter();
    f(Some(guard.get_or_insert_with(|| {
        WasiCtx::new(Vec::new(), Vec::new(), Vec::new())
    })))
}

/// Run one WASI call against the program's context and turn the result
/// into an errno. (A panic, a runtime bug, cannot unwind into generated
/// code: it aborts the process, see `crate::platform`.)
///
/// # Safety
/// `mem` is null or points to a live `VMMemory`.
pub unsafe fn dispatch(
    mem: *mut VMMemory,
    f: impl FnOnce(&mut WasiCtx, &GuestMem) -> WasiResult<()>,
) -> i32 {
    // SAFETY: `mem` is null or live (this function's contract).
    let mem = unsafe { GuestMem::from_vm(mem) };
    let mut guard = CTX.lock();
    let _in_call = InCall::enter();
    // A program started without `main` (e.g. a test harness) gets
    // stdio only, no arguments, no environment.
    let ctx = guard.get_or_insert_with(|| WasiCtx::new(Vec::new(), Vec::new(), Vec::new()));
    match f(ctx, &mem) {
        Ok(()) => 0,
        Err(e) => i32::from(e.0),
    }
}

/// Run a WASI call that needs nothing of the program's context (a sleep)
/// without taking it, turning the result into an errno as [`dispatch`].
///
/// # Safety
/// `mem` is null or points to a live `VMMemory`.
pub unsafe fn dispatch_without_ctx(
    mem: *mut VMMemory,
    f: impl FnOnce(&GuestMem) -> WasiResult<()>,
) -> i32 {
    // SAFETY: `mem` is null or live (this function's contract).
    let mem = unsafe { GuestMem::from_vm(mem) };
    match f(&mem) {
        Ok(()) => 0,
        Err(e) => i32::from(e.0),
    }
}

/// Define the exported `wasmlink_wasi_*` functions from the contract's
/// rows: a call returning an errno runs the `WasiCtx` method of the same
/// name (taking `(&mut self, &GuestMem, params…)`) through [`dispatch`]; a
/// call that never returns is the function of the same name in [`proc`].
macro_rules! define_wasi_exports {
    ($( $name:ident [$symbol:expr] ( $($param:ident : $ty:ty),* ) -> $result:ident; )*) => {
        $( define_wasi_exports!(@one $result $name [$symbol] ($($param : $ty),*)); )*
    };
    (@one errno poll_oneoff [$symbol:expr] ($($param:ident : $ty:ty),*)) => {
        /// WASI preview 1 export `poll_oneoff` (see
        /// [`super::poll::poll_oneoff_export`]: a sleep runs without the
        /// program's context).
        ///
        /// # Safety
        /// `mem` is null or points to the caller's live `VMMemory`.
        #[export_name = $symbol]
        pub unsafe extern "C" fn poll_oneoff(mem: *mut VMMemory, $($param: $ty),*) -> i32 {
            if crate::preinit::active() {
                let args = [$($param as u64),*];
                // SAFETY: the caller guarantees `mem` (this function's contract).
                if let Some(errno) = unsafe { crate::preinit::wasi_call("poll_oneoff", mem, &args) } {
                    return errno;
                }
            }
            // SAFETY: the caller guarantees `mem` (this function's contract).
            unsafe { super::poll::poll_oneoff_export(mem, $($param),*) }
        }
    };
    (@one errno $name:ident [$symbol:expr] ($($param:ident : $ty:ty),*)) => {
        /// WASI preview 1 export (see the `WasiCtx` method of the same name).
        ///
        /// # Safety
        /// `mem` is null or points to the caller's live `VMMemory`.
        #[export_name = $symbol]
        pub unsafe extern "C" fn $name(mem: *mut VMMemory, $($param: $ty),*) -> i32 {
            // A program being pre-initialised may make only some calls.
            if crate::preinit::active() {
                let args = [$($param as u64),*];
                // SAFETY: the caller guarantees `mem` (this function's contract).
                if let Some(errno) = unsafe { crate::preinit::wasi_call(stringify!($name), mem, &args) } {
                    return errno;
                }
            }
            // SAFETY: the caller guarantees `mem` (this function's contract).
            unsafe { super::dispatch(mem, |ctx, mem| ctx.$name(mem, $($param),*)) }
        }
    };
    (@one never $name:ident [$symbol:expr] ($($param:ident : $ty:ty),*)) => {
        /// WASI preview 1 export that ends the process (see
        /// `wasi::proc::` of the same name). It does not read `mem`.
        #[export_name = $symbol]
        pub extern "C" fn $name(_mem: *mut VMMemory, $($param: $ty),*) -> ! {
            if crate::preinit::active() {
                crate::preinit::$name($($param),*)
            }
            super::proc::$name($($param),*)
        }
    };
}

/// The exported WASI functions, one per row of
/// `wasmlink_abi::foreach_wasi_fn!`.
pub mod exports {
    use wasmlink_abi::VMMemory;

    wasmlink_abi::foreach_wasi_fn!(define_wasi_exports);
}

#[cfg(test)]
#[allow(clippy::new_without_default)]
pub mod testutil {
    //! Shared helpers for the WASI tests: temporary directories and a
    //! context over a host buffer.

    use super::*;
    use crate::platform::fd::FromRawFd;
    use std::ffi::CString;
    use std::path::{Path, PathBuf};

    /// A temporary directory removed on drop.
    pub struct TempDir(pub PathBuf);

    impl TempDir {
        pub fn new() -> TempDir {
            let base = std::env::temp_dir().join("wasmlink-rt-XXXXXX");
            let t = CString::new(base.into_os_string().into_encoded_bytes()).unwrap();
            let raw = t.into_raw();
            // SAFETY: `raw` is a NUL-terminated template we own, ending
            // in XXXXXX; mkdtemp rewrites those bytes in place, never
            // its length.
            let p = unsafe { libc::mkdtemp(raw) };
            assert!(!p.is_null());
            // SAFETY: `raw` came from `into_raw` above and keeps its
            // length; ownership returns to a CString exactly once.
            let t = unsafe { CString::from_raw(raw) };
            TempDir(PathBuf::from(t.into_string().unwrap()))
        }

        pub fn path(&self) -> &Path {
            &self.0
        }

        pub fn open(&self) -> OwnedFd {
            open_dir(&self.0)
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    pub fn open_dir(p: &Path) -> OwnedFd {
        let c = CString::new(p.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: `c` is NUL-terminated and outlives the call.
        let fd = unsafe {
            libc::open(
                c.as_ptr(),
                libc::O_RDONLY | libc::O_DIRECTORY | libc::O_CLOEXEC,
            )
        };
        assert!(fd >= 0, "open {p:?}");
        // SAFETY: `open` just returned `fd`; nothing else owns it.
        unsafe { OwnedFd::from_raw_fd(fd) }
    }

    /// A context whose fd 3 is the preopen `dir` (guest name "/sandbox"),
    /// plus a 64 KiB guest memory.
    pub struct Env {
        pub ctx: WasiCtx,
        pub buf: Vec<u8>,
        pub dir: TempDir,
    }

    impl Env {
        pub fn new() -> Env {
            let dir = TempDir::new();
            let ctx = WasiCtx::new(
                Vec::new(),
                Vec::new(),
                vec![(b"/sandbox".to_vec(), dir.open())],
            );
            Env {
                ctx,
                buf: vec![0; 65536],
                dir,
            }
        }

        /// Run `f` with the context and a view of the guest memory.
        pub fn with<R>(&mut self, f: impl FnOnce(&mut WasiCtx, &GuestMem) -> R) -> R {
            let mem = GuestMem::from_slice(&mut self.buf);
            f(&mut self.ctx, &mem)
        }

        /// Store `s` at `at` in guest memory; returns (ptr, len).
        pub fn put(&mut self, at: u32, s: &[u8]) -> (u32, u32) {
            self.buf[at as usize..at as usize + s.len()].copy_from_slice(s);
            (at, s.len() as u32)
        }

        pub fn u32_at(&self, at: u32) -> u32 {
            u32::from_le_bytes(self.buf[at as usize..at as usize + 4].try_into().unwrap())
        }

        pub fn u64_at(&self, at: u32) -> u64 {
            u64::from_le_bytes(self.buf[at as usize..at as usize + 8].try_into().unwrap())
        }

        pub fn host(&self, rel: &str) -> PathBuf {
            self.dir.path().join(rel)
        }
    }
}
