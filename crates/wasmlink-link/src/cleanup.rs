//! The registry of what a link leaves on disk or running while it works:
//! temporary directories and files, and the C compiler's process group.
//!
//! Everything is created and registered under one lock, and removed (or
//! committed: renamed into place) and deregistered under the same lock, so
//! at every moment the registry lists exactly what exists. The signal
//! watcher ([`crate::interrupt`]) takes the lock, keeps it, stops the
//! registered processes and removes the registered paths before the process
//! dies; a thread that wants to create or remove something meanwhile waits
//! on the lock until the process is gone.
//!
//! Without the watcher installed the registry only costs a lock per file.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

pub(crate) struct Registry {
    next_id: u64,
    paths: Vec<(u64, PathBuf)>,
    /// Process group ids of running children (each child leads its group).
    groups: Vec<(u64, libc::pid_t)>,
}

static REGISTRY: Mutex<Registry> = Mutex::new(Registry {
    next_id: 0,
    paths: Vec::new(),
    groups: Vec::new(),
});

/// The registry's lock. A panic while holding it leaves consistent data
/// (every update is one push or one removal), so poisoning is ignored.
pub(crate) fn lock() -> MutexGuard<'static, Registry> {
    REGISTRY.lock().unwrap_or_else(|e| e.into_inner())
}

impl Registry {
    fn add_path(&mut self, path: PathBuf) -> u64 {
        self.next_id += 1;
        self.paths.push((self.next_id, path));
        self.next_id
    }

    fn forget_path(&mut self, id: u64) {
        self.paths.retain(|(i, _)| *i != id);
    }

    /// Stop every registered process group: SIGTERM first, so compilers
    /// remove their own temporary files, then SIGKILL for whatever is left
    /// after `grace`. Used by the signal watcher.
    pub(crate) fn stop_children(&self, grace: Duration) {
        for &(_, pgid) in &self.groups {
            // SAFETY: kill() has no memory-safety preconditions; a negative
            // pid addresses the child's process group, which cannot have
            // been reused: the child stays registered until it is a zombie
            // that nobody has reaped (see `run_registered`).
            unsafe { libc::kill(-pgid, libc::SIGTERM) };
        }
        let deadline = Instant::now() + grace;
        for &(_, pgid) in &self.groups {
            while !has_exited(pgid) && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(10));
            }
            // SAFETY: as above. Grandchildren (collect2, ld) share the
            // group and die with it.
            unsafe { libc::kill(-pgid, libc::SIGKILL) };
        }
    }

    /// Remove every registered path. A dying process may still be creating
    /// a file in a registered directory for a moment, so a directory that
    /// refuses to go is retried for a while.
    pub(crate) fn remove_all(&mut self) {
        for (_, path) in self.paths.drain(..) {
            remove_path(&path, Duration::from_secs(2));
        }
    }
}

/// Whether child `pid` has exited (without reaping it, so its pid and
/// process group id stay reserved).
fn has_exited(pid: libc::pid_t) -> bool {
    wait_exit(pid, libc::WNOHANG)
}

/// waitid(WEXITED | WNOWAIT | `flags`) on `pid`: true when it has exited
/// (or cannot be waited for at all).
fn wait_exit(pid: libc::pid_t, flags: libc::c_int) -> bool {
    loop {
        // SAFETY: siginfo_t is plain data; all-zero is a valid value and
        // waitid only writes into it.
        let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
        // SAFETY: `info` is a valid, writable siginfo_t for the call.
        let r = unsafe {
            libc::waitid(
                libc::P_PID,
                pid as libc::id_t,
                &mut info,
                libc::WEXITED | libc::WNOWAIT | flags,
            )
        };
        if r == 0 {
            // SAFETY: waitid succeeded, so `info` is initialised; si_pid is
            // 0 when WNOHANG found no state change.
            return unsafe { info.si_pid() } != 0;
        }
        if std::io::Error::last_os_error().raw_os_error() != Some(libc::EINTR) {
            return true;
        }
    }
}

fn remove_path(path: &Path, patience: Duration) {
    let deadline = Instant::now() + patience;
    loop {
        let result = match std::fs::symlink_metadata(path) {
            Err(_) => return,
            Ok(m) if m.is_dir() => std::fs::remove_dir_all(path),
            Ok(_) => std::fs::remove_file(path),
        };
        match result {
            Ok(()) => return,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return,
            Err(_) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(10)),
            Err(_) => return,
        }
    }
}

/// A registered temporary path, removed when dropped unless committed.
#[derive(Debug)]
pub(crate) struct TempPath {
    id: u64,
    path: PathBuf,
}

impl TempPath {
    /// Create something with `create` (which returns its path) and register
    /// it, atomically with respect to the signal watcher.
    pub(crate) fn create<T>(
        create: impl FnOnce() -> std::io::Result<(T, PathBuf)>,
    ) -> std::io::Result<(T, TempPath)> {
        let mut registry = lock();
        let (value, path) = create()?;
        let id = registry.add_path(path.clone());
        Ok((value, TempPath { id, path }))
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Run `commit` (typically a rename that moves the path away) and
    /// deregister the path if it succeeds, both under the lock, so a signal
    /// sees either the registered path or the committed result.
    pub(crate) fn commit(
        self,
        commit: impl FnOnce(&Path) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let mut registry = lock();
        commit(&self.path)?;
        registry.forget_path(self.id);
        drop(registry);
        std::mem::forget(self);
        Ok(())
    }
}

impl Drop for TempPath {
    fn drop(&mut self) {
        let mut registry = lock();
        remove_path(&self.path, Duration::ZERO);
        registry.forget_path(self.id);
    }
}

/// A directory of the caller's that an interruption removes (see
/// [`crate::interrupt`]), as it removes the link's own temporary files:
/// removed when dropped, unless [`ScratchDir::commit`] moves it away.
#[derive(Debug)]
pub struct ScratchDir(TempPath);

impl ScratchDir {
    /// A new directory `PREFIX…` in `parent`.
    pub fn new_in(parent: &Path, prefix: &str) -> std::io::Result<ScratchDir> {
        let ((), path) = TempPath::create(|| {
            let dir = tempfile::Builder::new().prefix(prefix).tempdir_in(parent)?;
            Ok(((), dir.keep()))
        })?;
        Ok(ScratchDir(path))
    }

    pub fn path(&self) -> &Path {
        self.0.path()
    }

    /// Run `commit` (a rename that moves the directory away) and stop
    /// tracking the directory if it succeeds; otherwise it is removed.
    pub fn commit(self, commit: impl FnOnce(&Path) -> std::io::Result<()>) -> std::io::Result<()> {
        self.0.commit(commit)
    }
}

/// At most this much of a child's stderr is kept for messages; the rest is
/// read and dropped so the child never blocks on a full pipe.
const STDERR_KEPT: usize = 64 * 1024;

/// Run `cmd` in a process group of its own, registered while it runs, with
/// stdin and stdout closed to /dev/null and stderr captured. Returns its
/// status and (the first 64 KiB of) its stderr.
pub(crate) fn run_registered(mut cmd: Command) -> std::io::Result<(ExitStatus, Vec<u8>)> {
    use std::os::unix::process::CommandExt;
    cmd.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .process_group(0);
    // The compiler must see SIGINT, SIGTERM and SIGHUP, which the
    // interrupt watcher blocks in this process.
    crate::interrupt::start_unblocked(&mut cmd);
    let (mut child, id, pgid) = {
        let mut registry = lock();
        let child = cmd.spawn()?;
        let pgid = child.id() as libc::pid_t;
        registry.next_id += 1;
        let id = registry.next_id;
        registry.groups.push((id, pgid));
        (child, id, pgid)
    };
    let stderr = read_stderr(&mut child);
    // Wait for the exit without reaping: until deregistered, the pid (and
    // so the group id the watcher may signal) cannot be reused.
    wait_exit(pgid, 0);
    {
        let mut registry = lock();
        registry.groups.retain(|(i, _)| *i != id);
    }
    let status = child.wait()?;
    Ok((status, stderr))
}

fn read_stderr(child: &mut Child) -> Vec<u8> {
    let mut kept = Vec::new();
    let Some(mut pipe) = child.stderr.take() else {
        return kept;
    };
    let mut chunk = [0u8; 8192];
    loop {
        match pipe.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => {
                let room = STDERR_KEPT.saturating_sub(kept.len());
                kept.extend_from_slice(&chunk[..n.min(room)]);
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => break,
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registered(path: &Path) -> bool {
        lock().paths.iter().any(|(_, p)| p == path)
    }

    #[test]
    fn a_dropped_path_is_removed_and_forgotten() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("f");
        let ((), temp) = TempPath::create(|| {
            std::fs::write(&file, b"x")?;
            Ok(((), file.clone()))
        })
        .expect("create");
        assert!(registered(&file));
        drop(temp);
        assert!(!file.exists());
        assert!(!registered(&file));
    }

    #[test]
    fn a_committed_path_stays_and_is_forgotten() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("f");
        let moved = dir.path().join("g");
        let ((), temp) = TempPath::create(|| {
            std::fs::write(&file, b"x")?;
            Ok(((), file.clone()))
        })
        .expect("create");
        temp.commit(|p| std::fs::rename(p, &moved)).expect("commit");
        assert!(moved.exists());
        assert!(!registered(&file));
    }

    #[test]
    fn a_child_is_registered_while_it_runs() {
        let mut cmd = Command::new("/bin/sh");
        cmd.args(["-c", "echo $$ >&2; cut -d' ' -f5 /proc/$$/stat >&2; exit 3"]);
        let (status, stderr) = run_registered(cmd).expect("sh runs");
        assert_eq!(status.code(), Some(3));
        let text = String::from_utf8(stderr).expect("text");
        let mut lines = text.lines().map(|l| l.trim().parse::<libc::pid_t>());
        let pid = lines.next().expect("pid").expect("a number");
        let pgid = lines.next().expect("pgid").expect("a number");
        assert_eq!(pid, pgid, "the child leads its own process group");
        assert!(!lock().groups.iter().any(|&(_, g)| g == pid));
    }

    #[test]
    fn a_child_starts_with_no_signal_blocked() {
        // SAFETY: sigset_t is plain data, initialised by sigemptyset; the
        // mask changes only this test's thread and is restored below.
        let mut blocked: libc::sigset_t = unsafe { std::mem::zeroed() };
        // SAFETY: as above; filled by pthread_sigmask before it is read.
        let mut old: libc::sigset_t = unsafe { std::mem::zeroed() };
        // SAFETY: both sets are valid sigset_t values owned by this frame;
        // blocking SIGTERM in this thread only delays its delivery here.
        unsafe {
            libc::sigemptyset(&mut blocked);
            libc::sigaddset(&mut blocked, libc::SIGTERM);
            libc::pthread_sigmask(libc::SIG_BLOCK, &blocked, &mut old);
        }
        // awk, not a shell: shells adjust their own mask.
        let mut cmd = Command::new("awk");
        cmd.args(["/^SigBlk/ { print > \"/dev/stderr\" }", "/proc/self/status"]);
        let result = run_registered(cmd);
        // SAFETY: `old` was filled by the call above.
        unsafe { libc::pthread_sigmask(libc::SIG_SETMASK, &old, std::ptr::null_mut()) };
        let (_, stderr) = result.expect("sh runs");
        assert_eq!(
            String::from_utf8_lossy(&stderr).trim(),
            "SigBlk:\t0000000000000000"
        );
    }

    #[test]
    fn a_chatty_child_does_not_block() {
        let mut cmd = Command::new("/bin/sh");
        cmd.args(["-c", "head -c 300000 /dev/zero >&2"]);
        let (status, stderr) = run_registered(cmd).expect("sh runs");
        assert!(status.success());
        assert_eq!(stderr.len(), STDERR_KEPT);
    }
}
