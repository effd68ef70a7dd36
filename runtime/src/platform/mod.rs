//! What the runtime takes from the host in place of the standard library.
//!
//! The runtime is `#![no_std]` (with `alloc` and `libc`) everywhere but in
//! its unit tests: while `std` is linked, its default panic hook and with
//! it the backtrace printer (gimli, addr2line, miniz_oxide,
//! rustc-demangle: ~200 KB) is part of every executable, and no stable
//! setting removes it (BENCHMARKS.md, section 3). These modules are the
//! few pieces of `std` the runtime used, written directly on libc and
//! Linux; the unit tests use them too, so they are tested as shipped.
//!
//! * [`heap`]: the global allocator, libc's `malloc`;
//! * `panic`: the panic handler: one line on stderr, then `abort`;
//! * [`fd`]: [`fd::OwnedFd`], a descriptor closed when dropped;
//! * [`lock`]: `Mutex`, `Condvar`, `OnceLock` and `Once` on futexes;
//! * [`thread`]: threads with an explicit stack size or stack (pthreads);
//! * [`thread_local`]: thread-local `Cell`s, zero-initialised, in the
//!   executable's TLS block;
//! * [`io`]: writing to stdout, reading lines from stdin, creating a file,
//!   and errno descriptions as `std::io::Error` prints them;
//! * [`time`]: a monotonic [`time::Instant`].

pub mod fd;
pub mod heap;
pub mod io;
pub mod lock;
#[cfg(not(test))]
mod panic;
pub mod thread;
pub mod thread_local;
pub mod time;
