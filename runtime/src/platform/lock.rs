//! Locks: [`Mutex`], [`Condvar`], [`OnceLock`] and [`Once`], the
//! `std::sync` types the runtime used, on Linux futexes as `std`
//! implements them. Without poisoning: the runtime aborts on a panic
//! (a panic in the unit tests unwinds and unlocks), so `lock` returns the
//! guard itself.

use core::cell::UnsafeCell;
use core::mem::MaybeUninit;
use core::ops::{Deref, DerefMut};
use core::ptr;
use core::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use core::time::Duration;

/// Sleep while `*word == expected`, for at most `timeout` (for ever with
/// `None`). Returns false when the timeout passed; true when woken, when
/// the word had already changed, or on a signal — callers re-check.
fn futex_wait(word: &AtomicU32, expected: u32, timeout: Option<Duration>) -> bool {
    let ts = timeout.map(|t| libc::timespec {
        tv_sec: t.as_secs().min(libc::time_t::MAX as u64) as libc::time_t,
        tv_nsec: libc::c_long::from(t.subsec_nanos()),
    });
    let tsp = ts
        .as_ref()
        .map_or(ptr::null(), |t| t as *const libc::timespec);
    // SAFETY: `word` is a live, aligned 32-bit atomic the kernel only
    // reads; `tsp` is null or points to `ts`, alive for the call.
    let r = unsafe {
        libc::syscall(
            libc::SYS_futex,
            word.as_ptr(),
            libc::FUTEX_WAIT | libc::FUTEX_PRIVATE_FLAG,
            expected,
            tsp,
        )
    };
    !(r == -1 && crate::sys::errno() == libc::ETIMEDOUT)
}

/// Wake up to `count` threads sleeping on `word`.
fn futex_wake(word: &AtomicU32, count: i32) {
    // SAFETY: FUTEX_WAKE touches no memory; `word` is only its key.
    unsafe {
        libc::syscall(
            libc::SYS_futex,
            word.as_ptr(),
            libc::FUTEX_WAKE | libc::FUTEX_PRIVATE_FLAG,
            count,
        )
    };
}

const UNLOCKED: u32 = 0;
/// Locked, no thread sleeping on it.
const LOCKED: u32 = 1;
/// Locked, and threads may be sleeping on it: unlocking wakes one.
const CONTENDED: u32 = 2;

/// A mutual-exclusion lock around a `T` (Drepper's three-state futex
/// mutex, as `std`'s: an uncontended lock and unlock are one atomic each,
/// no system call).
pub struct Mutex<T: ?Sized> {
    state: AtomicU32,
    value: UnsafeCell<T>,
}

// SAFETY: the lock hands out the `T` to one thread at a time, so the
// mutex may be shared (and sent) whenever the `T` may be sent.
unsafe impl<T: ?Sized + Send> Send for Mutex<T> {}
// SAFETY: as above.
unsafe impl<T: ?Sized + Send> Sync for Mutex<T> {}

/// The lock held: access to the `T` until it is dropped.
pub struct MutexGuard<'a, T: ?Sized> {
    mutex: &'a Mutex<T>,
}

impl<T> Mutex<T> {
    pub const fn new(value: T) -> Mutex<T> {
        Mutex {
            state: AtomicU32::new(UNLOCKED),
            value: UnsafeCell::new(value),
        }
    }
}

impl<T: ?Sized> Mutex<T> {
    /// Wait for the lock and take it.
    pub fn lock(&self) -> MutexGuard<'_, T> {
        if self
            .state
            .compare_exchange(UNLOCKED, LOCKED, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            self.lock_contended();
        }
        MutexGuard { mutex: self }
    }

    #[cold]
    fn lock_contended(&self) {
        // A lock is usually held briefly: spin a little before sleeping.
        let mut state = self.spin();
        if state == UNLOCKED {
            match self.state.compare_exchange(
                UNLOCKED,
                LOCKED,
                Ordering::Acquire,
                Ordering::Relaxed,
            ) {
                Ok(_) => return,
                Err(s) => state = s,
            }
        }
        loop {
            // Marking it contended makes its holder wake a sleeper; taking
            // it this way (swap found it unlocked) keeps the mark, which
            // at worst costs one needless wake-up.
            if state != CONTENDED && self.state.swap(CONTENDED, Ordering::Acquire) == UNLOCKED {
                return;
            }
            futex_wait(&self.state, CONTENDED, None);
            state = self.spin();
        }
    }

    /// Spin while the lock is held without sleepers, at most 100 times;
    /// the state last seen.
    fn spin(&self) -> u32 {
        let mut left = 100;
        loop {
            let state = self.state.load(Ordering::Relaxed);
            if state != LOCKED || left == 0 {
                return state;
            }
            core::hint::spin_loop();
            left -= 1;
        }
    }

    /// Release the lock (its guard is being dropped).
    fn unlock(&self) {
        if self.state.swap(UNLOCKED, Ordering::Release) == CONTENDED {
            futex_wake(&self.state, 1);
        }
    }
}

impl<T: Default> Default for Mutex<T> {
    fn default() -> Mutex<T> {
        Mutex::new(T::default())
    }
}

impl<T: ?Sized> Deref for MutexGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: the guard holds the lock, so no other reference to the
        // value exists outside this guard.
        unsafe { &*self.mutex.value.get() }
    }
}

impl<T: ?Sized> DerefMut for MutexGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as for `deref`; `&mut self` makes this the only one.
        unsafe { &mut *self.mutex.value.get() }
    }
}

impl<T: ?Sized> Drop for MutexGuard<'_, T> {
    fn drop(&mut self) {
        self.mutex.unlock();
    }
}

/// A condition variable for a [`Mutex`] (`std`'s futex design: a counter
/// bumped by every notification; a waiter sleeps while it is unchanged).
pub struct Condvar {
    notified: AtomicU32,
}

impl Condvar {
    pub const fn new() -> Condvar {
        Condvar {
            notified: AtomicU32::new(0),
        }
    }

    /// Wake every thread waiting.
    pub fn notify_all(&self) {
        self.notified.fetch_add(1, Ordering::Relaxed);
        futex_wake(&self.notified, i32::MAX);
    }

    /// Unlock `guard`'s mutex, sleep until notified or for at most
    /// `timeout`, and lock it again. Also true: "the timeout passed".
    /// May wake spuriously, so callers wait in a loop.
    pub fn wait_timeout<'a, T>(
        &self,
        guard: MutexGuard<'a, T>,
        timeout: Duration,
    ) -> (MutexGuard<'a, T>, bool) {
        // Read before unlocking: a notification after the unlock changes
        // the counter, and the futex then does not sleep.
        let seen = self.notified.load(Ordering::Relaxed);
        let mutex = guard.mutex;
        drop(guard);
        let woken = futex_wait(&self.notified, seen, Some(timeout));
        (mutex.lock(), !woken)
    }
}

impl Default for Condvar {
    fn default() -> Condvar {
        Condvar::new()
    }
}

/// A value set once, then shared: `std::sync::OnceLock`. The first
/// `get_or_init` (or `set`) stores it under a lock; later reads are one
/// acquire load.
pub struct OnceLock<T> {
    set: AtomicBool,
    /// Serialises the writers.
    writing: Mutex<()>,
    value: UnsafeCell<MaybeUninit<T>>,
}

// SAFETY: the value is written once, under `writing`, before `set` is
// published with release ordering, and only read after an acquire load
// sees it: shared access to it is shared access to a `T`, which needs
// `T: Sync`, and moving it between threads needs `T: Send`.
unsafe impl<T: Send + Sync> Sync for OnceLock<T> {}
// SAFETY: as above.
unsafe impl<T: Send> Send for OnceLock<T> {}

impl<T> OnceLock<T> {
    pub const fn new() -> OnceLock<T> {
        OnceLock {
            set: AtomicBool::new(false),
            writing: Mutex::new(()),
            value: UnsafeCell::new(MaybeUninit::uninit()),
        }
    }

    /// The value, once set.
    pub fn get(&self) -> Option<&T> {
        if self.set.load(Ordering::Acquire) {
            // SAFETY: `set` is only true after the value was written, and
            // it is never written again (see the `Sync` impl).
            Some(unsafe { (*self.value.get()).assume_init_ref() })
        } else {
            None
        }
    }

    /// The value, set by `init` if it is not yet. Other threads asking
    /// meanwhile wait for it. `init` must not use this cell.
    pub fn get_or_init(&self, init: impl FnOnce() -> T) -> &T {
        if let Some(v) = self.get() {
            return v;
        }
        let _writer = self.writing.lock();
        if !self.set.load(Ordering::Acquire) {
            // SAFETY: the value is unset and we are the only writer (the
            // lock), and no reader looks at it until `set` is stored.
            unsafe { (*self.value.get()).write(init()) };
            self.set.store(true, Ordering::Release);
        }
        // SAFETY: set now, by us or by the writer before us.
        unsafe { (*self.value.get()).assume_init_ref() }
    }

    /// Set the value; `Err(value)` when it was set already.
    pub fn set(&self, value: T) -> Result<(), T> {
        let mut value = Some(value);
        self.get_or_init(|| value.take().expect("taken once"));
        value.map_or(Ok(()), Err)
    }
}

impl<T> Drop for OnceLock<T> {
    fn drop(&mut self) {
        if *self.set.get_mut() {
            // SAFETY: set, so initialised; `&mut self`: nobody reads it.
            unsafe { self.value.get_mut().assume_init_drop() };
        }
    }
}

impl<T> Default for OnceLock<T> {
    fn default() -> OnceLock<T> {
        OnceLock::new()
    }
}

/// Run something once: `std::sync::Once`.
pub struct Once(OnceLock<()>);

impl Once {
    pub const fn new() -> Once {
        Once(OnceLock::new())
    }

    /// Run `f` unless it has run (or is running: then wait for it).
    pub fn call_once(&self, f: impl FnOnce()) {
        self.0.get_or_init(f);
    }
}

impl Default for Once {
    fn default() -> Once {
        Once::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::time::Instant;

    #[test]
    fn mutex_counts_across_threads() {
        let m = Arc::new(Mutex::new(0u64));
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let m = Arc::clone(&m);
                std::thread::spawn(move || {
                    for _ in 0..20_000 {
                        *m.lock() += 1;
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(*m.lock(), 80_000);
    }

    #[test]
    fn condvar_wakes_and_times_out() {
        let pair = Arc::new((Mutex::new(false), Condvar::new()));
        let t0 = Instant::now();
        let (guard, timed_out) = pair
            .1
            .wait_timeout(pair.0.lock(), Duration::from_millis(30));
        assert!(!*guard);
        drop(guard);
        // A spurious wake-up is allowed; a timeout that came early is not.
        assert!(!timed_out || t0.elapsed() >= Duration::from_millis(30));
        let p = Arc::clone(&pair);
        let waker = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(10));
            *p.0.lock() = true;
            p.1.notify_all();
        });
        let mut guard = pair.0.lock();
        let deadline = Instant::now() + Duration::from_secs(10);
        while !*guard {
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(!left.is_zero(), "never notified");
            guard = pair.1.wait_timeout(guard, left).0;
        }
        drop(guard);
        waker.join().unwrap();
    }

    #[test]
    fn once_lock_sets_once() {
        let cell = Arc::new(OnceLock::new());
        assert_eq!(cell.get(), None);
        let threads: Vec<_> = (0..4)
            .map(|i| {
                let c = Arc::clone(&cell);
                std::thread::spawn(move || *c.get_or_init(|| i))
            })
            .collect();
        let seen: Vec<i32> = threads.into_iter().map(|t| t.join().unwrap()).collect();
        assert!(seen.iter().all(|&v| v == seen[0]));
        assert_eq!(cell.set(9), Err(9));
        assert_eq!(cell.get(), Some(&seen[0]));
        let once = Once::new();
        let mut runs = 0;
        once.call_once(|| runs += 1);
        once.call_once(|| runs += 1);
        assert_eq!(runs, 1);
        // A value is dropped with its cell.
        let dropped = Arc::new(());
        let held = OnceLock::new();
        held.set(Arc::clone(&dropped)).unwrap();
        drop(held);
        assert_eq!(Arc::strong_count(&dropped), 1);
    }
}
