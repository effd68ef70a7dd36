//! Running code on a new thread with a stack of a given size and waiting
//! for it: what `std::thread::Builder` did for [`crate::stack`]. (Threads
//! on a stack of their own, for wasi-threads, are started by
//! [`crate::threads::stacks`].)

use alloc::boxed::Box;
use core::ffi::{c_void, CStr};
use core::ptr;

/// What the new thread runs.
type Body = Box<dyn FnOnce() + Send>;

/// Its name and its work, handed to the thread through one pointer.
struct Start {
    name: &'static CStr,
    body: Body,
}

extern "C" fn thread_start(arg: *mut c_void) -> *mut c_void {
    // SAFETY: `run_and_join` passes a `Box<Start>` it leaked for this
    // thread, which takes it back exactly once.
    let start = unsafe { Box::from_raw(arg.cast::<Start>()) };
    // The name shows in `ps -L`, /proc and debuggers, as std's did.
    // SAFETY: a live NUL-terminated name for the calling thread (at most
    // 15 bytes: longer names are refused, harmlessly).
    unsafe { libc::pthread_setname_np(libc::pthread_self(), start.name.as_ptr()) };
    // The runtime aborts on a panic; a unit test's panic (a failed
    // assertion) is caught here and reported to the joiner instead of
    // aborting at this `extern "C"` frame.
    #[cfg(test)]
    let finished = std::panic::catch_unwind(std::panic::AssertUnwindSafe(start.body)).is_ok();
    #[cfg(not(test))]
    let finished = {
        (start.body)();
        true
    };
    if finished {
        ptr::null_mut()
    } else {
        ptr::dangling_mut()
    }
}

/// Run `body` on a new thread named `name` whose stack is `stack_size`
/// bytes, and wait for it to end. False when no thread could be started
/// (`body` is then dropped unrun), or, in unit tests, when `body`
/// panicked.
pub fn run_and_join(
    name: &'static CStr,
    stack_size: usize,
    body: impl FnOnce() + Send + 'static,
) -> bool {
    let arg = Box::into_raw(Box::new(Start {
        name,
        body: Box::new(body),
    }));
    // SAFETY: the attributes are initialised by pthread_attr_init before
    // use and destroyed once after pthread_create, which copies them.
    // `arg` is a leaked box: the thread takes it back, or, when no thread
    // starts, this function does. The thread is joined exactly once.
    unsafe {
        let mut attr = core::mem::MaybeUninit::<libc::pthread_attr_t>::uninit();
        let mut r = libc::pthread_attr_init(attr.as_mut_ptr());
        if r != 0 {
            drop(Box::from_raw(arg));
            return false;
        }
        r = libc::pthread_attr_setstacksize(attr.as_mut_ptr(), stack_size);
        let mut thread: libc::pthread_t = 0;
        if r == 0 {
            r = libc::pthread_create(&mut thread, attr.as_ptr(), thread_start, arg.cast());
        }
        libc::pthread_attr_destroy(attr.as_mut_ptr());
        if r != 0 {
            drop(Box::from_raw(arg));
            return false;
        }
        let mut result = ptr::null_mut();
        libc::pthread_join(thread, &mut result);
        result.is_null()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[test]
    fn runs_on_a_named_thread_with_its_stack() {
        let seen = Arc::new(Mutex::new((0, [0u8; 16])));
        let s = Arc::clone(&seen);
        let ran = run_and_join(c"wasm-test", 8 << 20, move || {
            let low = crate::stack::current_stack_low().unwrap();
            let local = 0u8;
            let depth = &local as *const u8 as usize - low;
            let mut name = [0u8; 16];
            // SAFETY: the buffer is live and as long as we say.
            unsafe { libc::pthread_getname_np(libc::pthread_self(), name.as_mut_ptr().cast(), 16) };
            *s.lock().unwrap() = (depth, name);
        });
        assert!(ran);
        let (depth, name) = *seen.lock().unwrap();
        assert!(depth > (7 << 20) && depth <= (8 << 20), "{depth}");
        assert!(name.starts_with(b"wasm-test\0"));
    }
}
