//! Timing: the CPU and wall time of one child process, taken from the
//! `rusage` that `wait4` returns (user + sys in microseconds, of the child
//! and every descendant it waited for, all threads included), and of work
//! done in this process (`getrusage`, for builds). `/proc`'s clock ticks
//! would round every run to 10 ms, more than a small program takes.

use anyhow::{bail, Context, Result};
use std::ffi::OsString;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// Wall and CPU (user + sys) time of one piece of work.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Timing {
    pub wall: Duration,
    pub cpu: Duration,
}

impl std::ops::Add for Timing {
    type Output = Timing;
    fn add(self, other: Timing) -> Timing {
        Timing {
            wall: self.wall + other.wall,
            cpu: self.cpu + other.cpu,
        }
    }
}

fn timeval(t: libc::timeval) -> Duration {
    Duration::from_secs(t.tv_sec.max(0) as u64) + Duration::from_micros(t.tv_usec.max(0) as u64)
}

fn cpu_of(usage: &libc::rusage) -> Duration {
    timeval(usage.ru_utime) + timeval(usage.ru_stime)
}

/// CPU time used so far by this process (all its threads) plus its
/// waited-for children.
fn cpu_so_far() -> Result<Duration> {
    let mut total = Duration::ZERO;
    for who in [libc::RUSAGE_SELF, libc::RUSAGE_CHILDREN] {
        // SAFETY: rusage is plain data, for which all zeroes is a value.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: `usage` is a valid, writable rusage.
        if unsafe { libc::getrusage(who, &mut usage) } != 0 {
            return Err(std::io::Error::last_os_error()).context("getrusage");
        }
        total += cpu_of(&usage);
    }
    Ok(total)
}

/// Run `work` in this process and time it: its wall time, and the CPU
/// time of this process's threads (the compiler's) plus the children it
/// waited for meanwhile (the system linker). Nothing else may run in this
/// process at the same time.
pub fn time_here<T>(work: impl FnOnce() -> Result<T>) -> Result<(T, Timing)> {
    let cpu = cpu_so_far()?;
    let start = Instant::now();
    let value = work()?;
    let wall = start.elapsed();
    let cpu = cpu_so_far()?.saturating_sub(cpu);
    Ok((value, Timing { wall, cpu }))
}

/// How one run ended.
pub struct Finished {
    pub timing: Timing,
    pub status: ExitStatus,
}

/// Run `argv` (argv[0] is the program; the child sees `arg0` as its name)
/// with stdin from /dev/null, stdout to `stdout`, stderr to `stderr`, and
/// time it with `wait4`. `env_remove` names variables the child must not
/// see.
pub fn run_child(
    argv: &[OsString],
    arg0: &OsString,
    env_remove: &[&str],
    stdout: Stdio,
    stderr: Stdio,
) -> Result<Finished> {
    let Some((program, args)) = argv.split_first() else {
        bail!("empty command line");
    };
    let mut cmd = Command::new(program);
    cmd.arg0(arg0)
        .args(args)
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(stderr);
    for name in env_remove {
        cmd.env_remove(name);
    }
    // The program must see SIGINT and the others as it would from a shell,
    // not blocked as the interrupt watcher blocks them here.
    wasmlink_link::interrupt::start_unblocked(&mut cmd);
    let start = Instant::now();
    let child = cmd
        .spawn()
        .with_context(|| format!("could not run {}", Path::new(program).display()))?;
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: rusage is plain data, for which all zeroes is a value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `pid` is our child, not yet reaped (the `Child` is never
        // waited on); `status` and `usage` are valid and writable.
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if r == pid {
            break;
        }
        let error = std::io::Error::last_os_error();
        if error.kind() != std::io::ErrorKind::Interrupted {
            return Err(error).context("wait4");
        }
    }
    let wall = start.elapsed();
    Ok(Finished {
        timing: Timing {
            wall,
            cpu: cpu_of(&usage),
        },
        status: ExitStatus::from_raw(status),
    })
}

/// "exit status 3", "killed by signal 11 (SIGSEGV)".
pub fn describe_status(status: ExitStatus) -> String {
    if let Some(code) = status.code() {
        return format!("exit status {code}");
    }
    match status.signal() {
        Some(sig) => {
            // SAFETY: strsignal accepts any number and returns a static or
            // thread-local string, copied out at once.
            let name = unsafe {
                let p = libc::strsignal(sig);
                if p.is_null() {
                    String::new()
                } else {
                    std::ffi::CStr::from_ptr(p).to_string_lossy().into_owned()
                }
            };
            format!("killed by signal {sig} ({name})")
        }
        None => format!("{status}"),
    }
}

/// A new, empty file at `path` for a child's stderr: what the child
/// writes to, and a handle to read it back with [`tail`].
pub fn stderr_file(path: &Path) -> Result<(Stdio, File)> {
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    let reader = file.try_clone()?;
    Ok((file.into(), reader))
}

/// The end of what a failed run wrote to `file`: its last 20 lines, at
/// most 2 000 bytes, control characters other than newlines escaped.
pub fn tail(file: &mut File) -> String {
    const MAX: u64 = 2000;
    let len = file.seek(SeekFrom::End(0)).unwrap_or(0);
    let mut bytes = Vec::new();
    if file.seek(SeekFrom::Start(len.saturating_sub(MAX))).is_ok() {
        let _ = file.read_to_end(&mut bytes);
    }
    let text = String::from_utf8_lossy(&bytes);
    let lines: Vec<&str> = text.lines().collect();
    let kept = &lines[lines.len().saturating_sub(20)..];
    kept.iter()
        .map(|l| {
            l.chars()
                .map(|c| match c {
                    '\t' => c.to_string(),
                    c if c.is_control() => c.escape_default().to_string(),
                    c => c.to_string(),
                })
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The minimum and the median of some durations (the mean of the two
/// middle ones for an even count); zero for none.
pub fn min_median(values: &[Duration]) -> (Duration, Duration) {
    let mut v = values.to_vec();
    v.sort();
    let Some(&min) = v.first() else {
        return (Duration::ZERO, Duration::ZERO);
    };
    let mid = v.len() / 2;
    let median = if v.len() % 2 == 1 {
        v[mid]
    } else {
        (v[mid - 1] + v[mid]) / 2
    };
    (min, median)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        let ms = Duration::from_millis;
        assert_eq!(min_median(&[ms(5), ms(1), ms(3)]), (ms(1), ms(3)));
        assert_eq!(
            min_median(&[ms(4), ms(1), ms(3), ms(2)]),
            (ms(1), ms(2) + ms(1) / 2)
        );
        assert_eq!(min_median(&[]), (ms(0), ms(0)));
    }

    #[test]
    fn a_child_is_timed_to_the_microsecond() {
        // A shell busy for a moment: some CPU, and a wall time at least as
        // long as the sleep.
        let argv: Vec<OsString> = [
            "/bin/sh",
            "-c",
            "i=0; while [ $i -lt 2000 ]; do i=$((i+1)); done; sleep 0.01; exit 3",
        ]
        .iter()
        .map(OsString::from)
        .collect();
        let done = run_child(&argv, &argv[0], &[], Stdio::null(), Stdio::null()).expect("sh runs");
        assert_eq!(done.status.code(), Some(3));
        assert_eq!(describe_status(done.status), "exit status 3");
        assert!(
            done.timing.wall >= Duration::from_millis(10),
            "{:?}",
            done.timing
        );
        assert!(done.timing.cpu > Duration::ZERO, "{:?}", done.timing);
    }

    #[test]
    fn the_tail_is_the_last_lines_with_control_characters_escaped() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (_, mut file) = stderr_file(&dir.path().join("err")).expect("file");
        let text: String = (1..=30).map(|i| format!("line {i} \"q\"\n")).collect();
        std::io::Write::write_all(&mut file, format!("{text}bell\x07").as_bytes()).expect("write");
        let t = tail(&mut file);
        assert!(t.starts_with("line 12 \"q\"\n"), "{t}");
        assert!(t.ends_with("line 30 \"q\"\nbell\\u{7}"), "{t}");
    }

    #[test]
    fn a_signal_is_named() {
        let argv: Vec<OsString> = ["/bin/sh", "-c", "kill -SEGV $$"]
            .iter()
            .map(OsString::from)
            .collect();
        let done = run_child(&argv, &argv[0], &[], Stdio::null(), Stdio::null()).expect("sh runs");
        let text = describe_status(done.status);
        assert!(text.starts_with("killed by signal 11 ("), "{text}");
    }
}
