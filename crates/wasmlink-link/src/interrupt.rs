//! What happens when a build is interrupted (SIGINT, SIGTERM, SIGHUP).
//!
//! [`install`] blocks those signals in the calling thread (and so in every
//! thread it starts later) and starts one thread that waits for them with
//! `sigwait`. No code runs in signal-handler context: the watcher is an
//! ordinary thread, free to take locks and touch the file system. On a
//! signal it takes the cleanup registry's lock for good, stops the C
//! compiler's process group, removes every registered temporary path and
//! then dies of the same signal (so the parent sees 128 + N), or exits with
//! 128 + N if the signal's default action somehow does not end it.
//!
//! Children do not inherit the blocked mask: `std::process::Command` resets
//! the signal mask of every process it starts.

use crate::cleanup;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// The signals that end a build.
const SIGNALS: [libc::c_int; 3] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP];

/// How long the C compiler gets to remove its own files after SIGTERM.
const GRACE: Duration = Duration::from_secs(2);

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Start the watcher. Call it before any other thread exists: the signals
/// must be blocked in every thread but the watcher. Signals that were
/// ignored when the process started (`nohup`, background jobs of
/// non-interactive shells) stay ignored.
pub fn install() -> std::io::Result<()> {
    // SAFETY: sigset_t is plain data; sigemptyset initialises it.
    let mut set: libc::sigset_t = unsafe { std::mem::zeroed() };
    // SAFETY: `set` is a valid sigset_t.
    unsafe { libc::sigemptyset(&mut set) };
    let mut any = false;
    for sig in SIGNALS {
        if !ignored(sig)? {
            // SAFETY: `set` is initialised and `sig` is a valid signal.
            unsafe { libc::sigaddset(&mut set, sig) };
            any = true;
        }
    }
    if !any {
        return Ok(());
    }
    // SAFETY: `set` is initialised; the old mask is not wanted.
    let r = unsafe { libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut()) };
    if r != 0 {
        return Err(std::io::Error::from_raw_os_error(r));
    }
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || watch(set))?;
    Ok(())
}

/// Whether `sig`'s disposition is SIG_IGN.
fn ignored(sig: libc::c_int) -> std::io::Result<bool> {
    // SAFETY: sigaction is plain data; a null new action only queries.
    let mut old: libc::sigaction = unsafe { std::mem::zeroed() };
    // SAFETY: `old` is a valid, writable sigaction.
    if unsafe { libc::sigaction(sig, std::ptr::null(), &mut old) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(old.sa_sigaction == libc::SIG_IGN)
}

fn watch(set: libc::sigset_t) {
    loop {
        let mut sig: libc::c_int = 0;
        // SAFETY: `set` is initialised and its signals are blocked in this
        // thread (inherited from the installing thread); `sig` is writable.
        if unsafe { libc::sigwait(&set, &mut sig) } == 0 {
            terminate(sig);
        }
    }
}

fn terminate(sig: libc::c_int) -> ! {
    INTERRUPTED.store(true, Ordering::SeqCst);
    // Held until the process ends: nothing may be created or committed
    // from now on.
    let mut registry = cleanup::lock();
    registry.stop_children(GRACE);
    registry.remove_all();
    std::mem::forget(registry);
    // SAFETY: restoring the default action of a valid signal.
    unsafe { libc::signal(sig, libc::SIG_DFL) };
    // SAFETY: sigset_t is plain data, initialised by sigemptyset.
    let mut only: libc::sigset_t = unsafe { std::mem::zeroed() };
    // SAFETY: `only` is a valid sigset_t; unblocking then raising in this
    // thread delivers the signal here, with its default action (the
    // process ends as if it had never been caught).
    unsafe {
        libc::sigemptyset(&mut only);
        libc::sigaddset(&mut only, sig);
        libc::pthread_sigmask(libc::SIG_UNBLOCK, &only, std::ptr::null_mut());
        libc::raise(sig);
    }
    std::process::exit(128 + sig)
}

/// Make `cmd`'s process start with no signal blocked. A child inherits
/// the spawning thread's signal mask, in which [`install`] blocks SIGINT,
/// SIGTERM and SIGHUP, and `exec` keeps it; a compiler, or a program
/// `wasmlink run` starts, must see those signals as it would from a shell.
pub fn start_unblocked(cmd: &mut std::process::Command) {
    use std::os::unix::process::CommandExt;
    // SAFETY: the closure runs in the forked child before exec and only
    // calls sigemptyset and sigprocmask, which are async-signal-safe; it
    // touches no memory shared with the parent.
    unsafe {
        cmd.pre_exec(|| {
            let mut none: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut none);
            if libc::sigprocmask(libc::SIG_SETMASK, &none, std::ptr::null_mut()) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

/// Whether a signal has started ending the process.
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// If a signal is ending the process, wait for that instead of returning:
/// errors caused by the cleanup (a removed directory, a killed compiler)
/// are not worth reporting, and the exit status must be the signal's.
pub fn wait_if_interrupted() {
    if interrupted() {
        // The watcher holds the registry lock until the process ends.
        drop(cleanup::lock());
        loop {
            std::thread::park();
        }
    }
}
