//! Running a case's steps and collecting what they print.

use crate::cmd::{parse_cmd, Verb};
use crate::{timeout, wasmlink};
use std::fmt::Write as _;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    pub stdout: String,
    pub stderr: String,
    pub status: i32,
}

pub fn status_code(s: ExitStatus) -> i32 {
    if let Some(c) = s.code() {
        return c;
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = s.signal() {
            return 128 + sig;
        }
    }
    -1
}

/// Start `cmd` with the default disposition of the signals cases send and
/// nothing blocked, whatever this test process inherited (under `nohup`
/// SIGHUP is ignored, and a shell cannot un-ignore a signal ignored when it
/// started), so a case behaves the same wherever the suite runs.
fn default_signals(cmd: &mut Command) {
    use std::os::unix::process::CommandExt;
    // SAFETY: the closure runs in the child between fork and exec and only
    // calls signal, sigemptyset and sigprocmask, which are
    // async-signal-safe; it touches no memory shared with the parent.
    unsafe {
        cmd.pre_exec(|| {
            for sig in [libc::SIGHUP, libc::SIGINT, libc::SIGQUIT, libc::SIGTERM] {
                libc::signal(sig, libc::SIG_DFL);
            }
            let mut none: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut none);
            libc::sigprocmask(libc::SIG_SETMASK, &none, std::ptr::null_mut());
            Ok(())
        });
    }
}

/// Run `cmd` to completion (or kill it after the timeout).
pub fn execute(mut cmd: Command, stdin: Option<&Path>, what: &str) -> Outcome {
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    default_signals(&mut cmd);
    match stdin {
        Some(p) => match fs::File::open(p) {
            Ok(f) => {
                cmd.stdin(Stdio::from(f));
            }
            Err(e) => {
                return Outcome {
                    stderr: format!("[harness] cannot open stdin file {}: {e}\n", p.display()),
                    status: -1,
                    ..Outcome::default()
                }
            }
        },
        None => {
            cmd.stdin(Stdio::null());
        }
    }
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            return Outcome {
                stderr: format!("[harness] cannot start {what}: {e}\n"),
                status: -1,
                ..Outcome::default()
            }
        }
    };
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out.read_to_end(&mut v);
        v
    });
    let err_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err.read_to_end(&mut v);
        v
    });
    let deadline = Instant::now() + timeout();
    let mut timed_out = false;
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break status_code(s),
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                timed_out = true;
                break child.wait().map(status_code).unwrap_or(-1);
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => panic!("waiting for {what}: {e}"),
        }
    };
    let stdout = String::from_utf8_lossy(&out_reader.join().unwrap()).into_owned();
    let mut stderr = String::from_utf8_lossy(&err_reader.join().unwrap()).into_owned();
    if timed_out {
        let _ = writeln!(
            stderr,
            "[harness] {what} timed out after {:?} and was killed",
            timeout()
        );
    }
    Outcome {
        stdout,
        stderr,
        status,
    }
}

/// Copy a directory tree, keeping symlinks as symlinks.
pub fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let ty = entry.file_type()?;
        let dst = to.join(entry.file_name());
        if ty.is_symlink() {
            let target = fs::read_link(entry.path())?;
            #[cfg(unix)]
            std::os::unix::fs::symlink(&target, &dst)?;
            #[cfg(not(unix))]
            fs::copy(entry.path(), &dst).map(|_| ())?;
        } else if ty.is_dir() {
            copy_tree(&entry.path(), &dst)?;
        } else {
            fs::copy(entry.path(), &dst)?;
        }
    }
    Ok(())
}

/// What a `run` step's working directory starts with.
#[derive(Clone, Copy)]
pub enum RunFiles {
    /// The case's `fs/` subfolder, if any (tests/graphs).
    FsSubfolder,
    /// The whole case folder (examples).
    WholeFolder,
}

/// Replace machine-specific paths in output.
pub fn normalise(text: &str, tmp: &Path, case_dir: &Path) -> String {
    let mut s = text.to_string();
    let mut tmps = vec![tmp.to_path_buf()];
    if let Ok(c) = tmp.canonicalize() {
        tmps.push(c);
    }
    for t in tmps {
        s = s.replace(&*t.to_string_lossy(), "{tmp}");
    }
    s.replace(&*case_dir.to_string_lossy(), "{dir}")
}

/// A fresh working directory for step `i` holding what `files` says.
pub fn run_dir(tmp: &Path, i: usize, case_dir: &Path, files: RunFiles) -> Result<PathBuf, String> {
    let dir = tmp.join(format!("run{i}"));
    let src = match files {
        RunFiles::FsSubfolder => case_dir.join("fs"),
        RunFiles::WholeFolder => case_dir.to_path_buf(),
    };
    fs::create_dir_all(&dir).map_err(|e| format!("mkdir: {e}"))?;
    if src.is_dir() {
        copy_tree(&src, &dir).map_err(|e| format!("copying {}: {e}", src.display()))?;
    }
    Ok(dir)
}

pub fn run_case(case_dir: &Path, files: RunFiles) -> Result<Outcome, String> {
    let cmd_text = fs::read_to_string(case_dir.join("cmd"))
        .map_err(|e| format!("cannot read {}/cmd: {e}", case_dir.display()))?;
    let steps = parse_cmd(&cmd_text).map_err(|e| format!("bad cmd: {e}"))?;
    let tmp = tempfile::Builder::new()
        .prefix("wasmlink-case-")
        .tempdir()
        .map_err(|e| format!("tempdir: {e}"))?;
    let exe = tmp.path().join("app");
    // `wasmlink run` caches its builds: each case gets its own cache.
    let cache = tmp.path().join("cache");
    let mut total = Outcome::default();
    for (i, step) in steps.iter().enumerate() {
        let last = i + 1 == steps.len();
        let stdin = step.stdin.as_ref().map(|f| case_dir.join(f));
        let outcome = match step.verb {
            Verb::Build => {
                let mut c = Command::new(wasmlink());
                // Quiet: the summary line's time differs from run to run.
                c.arg("build").args(&step.args).args(["-q", "-o"]).arg(&exe);
                c.current_dir(case_dir).envs(step.env.iter().cloned());
                execute(c, stdin.as_deref(), "wasmlink build")
            }
            Verb::Wasmlink => {
                let mut c = Command::new(wasmlink());
                c.args(&step.args);
                c.current_dir(case_dir)
                    .env("XDG_CACHE_HOME", &cache)
                    .envs(step.env.iter().cloned());
                execute(c, stdin.as_deref(), "wasmlink")
            }
            Verb::Run => {
                let dir = run_dir(tmp.path(), i, case_dir, files)?;
                let mut c = Command::new(&exe);
                c.args(&step.args)
                    .current_dir(&dir)
                    .env_clear()
                    .envs(step.env.iter().cloned());
                execute(c, stdin.as_deref(), "the built executable")
            }
            Verb::Sh => {
                let dir = run_dir(tmp.path(), i, case_dir, files)?;
                let mut c = Command::new("/bin/sh");
                c.arg("-c")
                    .arg(&step.args[0])
                    .current_dir(&dir)
                    .env_clear()
                    .env("PATH", std::env::var_os("PATH").unwrap_or_default())
                    .env("APP", &exe)
                    .env("WASMLINK", wasmlink())
                    .env("CASE", case_dir)
                    .env("XDG_CACHE_HOME", &cache)
                    .envs(step.env.iter().cloned());
                execute(c, stdin.as_deref(), "the sh step")
            }
        };
        let failed_build = step.verb == Verb::Build && outcome.status != 0;
        if step.verb != Verb::Build || last || failed_build {
            total.stdout.push_str(&outcome.stdout);
            total.stderr.push_str(&outcome.stderr);
        }
        total.status = outcome.status;
        if failed_build && !last {
            break;
        }
    }
    total.stdout = normalise(&total.stdout, tmp.path(), case_dir);
    total.stderr = normalise(&total.stderr, tmp.path(), case_dir);
    Ok(total)
}
