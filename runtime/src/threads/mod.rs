//! wasi-threads at run time: `wasi.thread-spawn` and the threads it
//! starts.
//!
//! A program whose configuration has a `max-threads` record (it binds
//! `thread-spawn`) is set up by `main` with [`setup`]: one reservation
//! for every wasm stack ([`stacks`]: the main thread's at the bottom, then
//! one slot per thread that may run at once), and the main thread runs on
//! its slot ([`run_main`]).
//!
//! `thread-spawn(arg)` ([`wasmlink_thread_spawn`]) takes a free slot,
//! gives the thread the next id (1, 2, … up to `MAX_TID`), makes a new
//! instance of the calling instance from its image ([`instance`]), points
//! the instance's stack-limit cell at the slot's limit and starts an OS
//! thread on the slot's stack that installs the slot's alternate signal
//! stack and calls the generated start function (instantiation, then
//! `wasi_thread_start(tid, arg)`). When that returns, the instance is
//! freed if the compiler found nothing outside it can reach it; else its
//! limit cell gets the main thread's limit (the lowest there is: the
//! instance's functions may still be called from other threads). The slot
//! is free again once the thread is joined, which the next spawn does.
//!
//! When every slot is taken, a spawn waits up to [`SPAWN_WAIT`] for a
//! thread to end (one whose `wasi_thread_start` has just told its joiner
//! it is done is about to), then fails: `thread-spawn` returns -1, as it
//! does when ids run out or the host cannot start a thread.
//!
//! A trap on any thread ends the process (status 134), `proc_exit` on any
//! thread ends it with that status, and so does the entry returning on
//! the main thread (status 0, other threads are not waited for);
//! [`crate::sys::claim_exit`] makes sure only one of them reports.

pub mod instance;
pub mod stacks;

use crate::platform::lock::{Condvar, Mutex, OnceLock};
use crate::platform::time::Instant;
use alloc::boxed::Box;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::time::Duration;
use instance::{instantiate_image, ImageError};
use stacks::{Region, MAIN_SLOT};
use wasmlink_abi::{ImageReloc, ThreadSpawnContext, MAX_TID};

pub use stacks::in_stack_guard;

/// How long a spawn waits for a slot when all are taken.
pub const SPAWN_WAIT: Duration = Duration::from_secs(1);

/// One slot of a spawned thread.
#[derive(Debug, Default)]
struct SlotState {
    /// The thread running on it, until it is joined.
    thread: Option<libc::pthread_t>,
    /// Its thread has returned from `wasi_thread_start`.
    ended: bool,
    /// Its memory is accessible.
    committed: bool,
}

#[derive(Debug)]
struct State {
    /// Slot k + 1 of the region.
    slots: Vec<SlotState>,
    next_tid: u32,
}

struct Threads {
    region: Region,
    state: Mutex<State>,
    /// Signalled when a thread ends.
    ended: Condvar,
}

static THREADS: OnceLock<Threads> = OnceLock::new();

/// Prepare a program that may run `max` spawned threads at once; `main`
/// calls it before the program starts.
pub fn setup(max: u32) -> Result<(), String> {
    let region = Region::reserve(max as usize)
        .map_err(|e| format!("cannot reserve the stacks of {max} threads: {e}"))?;
    region.commit(MAIN_SLOT).map_err(|e| {
        format!(
            "cannot commit the program's stack: {}",
            crate::sys::strerror(e)
        )
    })?;
    region.publish();
    let slots = (0..region.threads())
        .map(|_| SlotState::default())
        .collect();
    let threads = Threads {
        region,
        state: Mutex::new(State { slots, next_tid: 1 }),
        ended: Condvar::new(),
    };
    THREADS
        .set(threads)
        .map_err(|_| "threads are set up twice".to_string())
}

/// Run `body` as the program's main thread, on the main slot's stack with
/// the program's stack limit set for it, and wait for it. False when the
/// thread could not be started (or [`setup`] was not called).
pub fn run_main(body: impl FnOnce() + Send + 'static) -> bool {
    let Some(t) = THREADS.get() else {
        return false;
    };
    let slot = t.region.slot(MAIN_SLOT);
    let main = move || {
        #[cfg(not(test))]
        crate::stack::set_stack_limit(slot.limit());
        stacks::use_altstack(&slot);
        body();
    };
    match stacks::start_on(&slot, Box::new(main)) {
        Ok(thread) => {
            stacks::join(thread);
            true
        }
        Err(_) => false,
    }
}

/// `wasi.thread-spawn(start_arg)`: start a thread running a new instance
/// of the caller's module; its id, or -1.
///
/// # Safety
/// `cx` is the calling instance's `ThreadSpawnContext` (generated code
/// passes the one of its import's funcref slot): its image, relocations
/// and start function were emitted together for that instance.
#[no_mangle]
pub unsafe extern "C" fn wasmlink_thread_spawn(
    cx: *const ThreadSpawnContext,
    start_arg: i32,
) -> i32 {
    let Some(t) = THREADS.get() else {
        return -1;
    };
    // SAFETY: the contract of this function.
    let cx = unsafe { &*cx };
    // SAFETY: the compiler emits `image_len` bytes of image,
    // `reloc_count` relocations and `table_count` table offsets (in
    // objects of at least one word, so the pointers are never null),
    // read-only for the life of the process.
    let image = unsafe {
        Image {
            bytes: core::slice::from_raw_parts(cx.image, cx.image_len as usize),
            relocs: core::slice::from_raw_parts(cx.relocs, cx.reloc_count as usize),
            start: cx.start,
            reclaim: cx.reclaim != 0,
            tables: core::slice::from_raw_parts(cx.tables, cx.table_count as usize),
        }
    };
    t.spawn(image, start_arg).map_or(-1, |tid| tid as i32)
}

/// What a `ThreadSpawnContext` says, as Rust sees it.
struct Image {
    bytes: &'static [u8],
    relocs: &'static [ImageReloc],
    start: wasmlink_abi::ThreadStartFn,
    reclaim: bool,
    tables: &'static [u32],
}

impl Threads {
    /// Start a thread for a new instance made from `image`; its id.
    fn spawn(&'static self, image: Image, arg: i32) -> Option<u32> {
        let mut state = self.state.lock();
        let deadline = Instant::now() + SPAWN_WAIT;
        let k = loop {
            for s in state.slots.iter_mut().filter(|s| s.ended) {
                if let Some(thread) = s.thread.take() {
                    stacks::join(thread);
                }
                s.ended = false;
            }
            if let Some(k) = state.slots.iter().position(|s| s.thread.is_none()) {
                break k;
            }
            let now = Instant::now();
            if state.slots.is_empty() || now >= deadline {
                return None;
            }
            state = self.ended.wait_timeout(state, deadline - now).0;
        };
        let tid = state.next_tid;
        if tid > MAX_TID {
            return None;
        }
        let instance = match instantiate_image(image.bytes, image.relocs) {
            Ok(i) => i,
            Err(ImageError::OutOfMemory) => return None,
            Err(e) => crate::sys::fatal(&[format!("bad thread image: {e:?}").as_bytes()]),
        };
        if !state.slots[k].committed {
            self.region.commit(k + 1).ok()?;
            state.slots[k].committed = true;
        }
        let slot = self.region.slot(k + 1);
        let main_limit = self.region.slot(MAIN_SLOT).limit();
        // SAFETY: the cell is the new instance's, not yet used.
        unsafe { instance.limit.as_ptr().write(slot.limit()) };
        let body = move || {
            // The whole instance moves to the thread (it is `Send`).
            let instance = instance;
            stacks::use_altstack(&slot);
            // SAFETY: `start` was emitted with the image the instance was
            // made from; the instance's stack limit is this stack's.
            unsafe { (image.start)(instance.vmctx.as_ptr(), tid as i32, arg) };
            if image.reclaim {
                // SAFETY: the thread is done with the instance, and the
                // compiler found nothing else can reach it; it was made
                // from this image, whose tables these are.
                unsafe { instance.free(image.bytes.len(), image.tables) };
            } else {
                // SAFETY: a kept instance's cell lives for ever.
                unsafe { instance.limit.as_ptr().write_volatile(main_limit) };
            }
            self.end(k);
        };
        let thread = stacks::start_on(&slot, Box::new(body)).ok()?;
        state.slots[k].thread = Some(thread);
        state.next_tid += 1;
        Some(tid)
    }

    /// The thread of slot `k + 1` has finished its work.
    fn end(&self, k: usize) {
        let mut state = self.state.lock();
        state.slots[k].ended = true;
        self.ended.notify_all();
    }
}
