//! `proc_exit`, `proc_raise` and `sched_yield`.

use super::errno::{Errno, WasiResult};
use super::guest::GuestMem;
use super::{wasi_exports, WasiCtx};
use crate::abi::VMMemory;

/// `proc_exit(code)`: end the process with `code` as its exit status (the
/// host keeps the low 8 bits, as for a native process). Nothing is
/// buffered by the runtime, so nothing needs flushing.
#[no_mangle]
pub extern "C" fn wasmlink_wasi_proc_exit(_mem: *mut VMMemory, code: u32) -> ! {
    // SAFETY: `_exit` is always safe to call.
    unsafe { libc::_exit(code as i32) }
}

impl WasiCtx {
    /// Raising signals is not supported (wasmtime does the same).
    pub fn proc_raise(&mut self, _mem: &GuestMem, _sig: u32) -> WasiResult<()> {
        Err(Errno::NOSYS)
    }

    pub fn sched_yield(&mut self, _mem: &GuestMem) -> WasiResult<()> {
        // SAFETY: no arguments; cannot fail on Linux.
        unsafe { libc::sched_yield() };
        Ok(())
    }
}

wasi_exports! {
    wasmlink_wasi_proc_raise => proc_raise(sig: u32);
    wasmlink_wasi_sched_yield => sched_yield();
}
