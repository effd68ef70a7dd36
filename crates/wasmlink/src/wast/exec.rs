//! Building the harness executable for a plan and driving it.
//!
//! Protocol (one line per command on stdin, one reply line on stdout):
//! `i N` instantiates instance N; `c K HEX…` invokes harness export K with
//! 128-bit argument slots; `g K` reads harness global K. Replies are
//! `ok HEX…` or `trap MESSAGE`.

use super::plan::{Action, Outcome, Plan};
use super::value::{matches, trap_matches};
use super::ScriptReport;
use crate::pipeline::{build_executable, BuildError, BuildOptions};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};
use std::time::{Duration, Instant};
use wasmlink_codegen::symbols::harness_exports;
use wasmlink_codegen::Optimizations;
use wasmlink_graph::InstanceGraph;
use wasmlink_link::Destination;
use wasmlink_module::ExternKind;

/// A script whose executable runs longer than this is stopped.
const RUN_TIMEOUT: Duration = Duration::from_secs(120);

pub(crate) fn execute(name: &str, plan: &Plan, report: &mut ScriptReport) {
    let fail_all = |report: &mut ScriptReport, why: &str| {
        for c in &plan.commands {
            report.failures.push(format!("{name}:{}: {why}", c.line));
        }
    };
    let built = match build(&plan.graph) {
        Ok(b) => b,
        Err(e) => return fail_all(report, &e),
    };
    report.timings.compile += built.compile;
    report.timings.link += built.link;

    let started = Instant::now();
    run(name, plan, &built.exe, report);
    report.timings.run += started.elapsed();
}

/// A harness executable for a graph, in a temporary directory that lives as
/// long as this value.
pub struct Built {
    _dir: tempfile::TempDir,
    pub exe: PathBuf,
    pub compile: Duration,
    pub link: Duration,
}

/// Compile `graph` in harness mode and link it into an executable, with
/// the optimisations of [`super::set_optimizations`].
pub fn build(graph: &InstanceGraph) -> Result<Built, String> {
    build_with(graph, super::optimizations())
}

/// [`build`] with whole-program optimisations `wpo`.
pub fn build_with(graph: &InstanceGraph, wpo: Optimizations) -> Result<Built, String> {
    let dir = tempfile::tempdir().map_err(|e| format!("temporary directory: {e}"))?;
    let exe = dir.path().join("harness");
    let destination = Destination::check(&exe, &[]).map_err(|e| format!("link error: {e}"))?;
    let options = BuildOptions {
        harness: true,
        wpo,
        ..Default::default()
    };
    let timings = build_executable(graph, &options, &destination).map_err(|e| match e {
        BuildError::Compile(e) => format!("compile error: {e}"),
        e => format!("link error: {e}"),
    })?;
    Ok(Built {
        _dir: dir,
        exe,
        compile: timings.compile,
        link: timings.emit + timings.link,
    })
}

/// An interactive conversation with a running harness executable: one
/// command, one reply. Used where the next command depends on the previous
/// reply (the differential runner); scripts pipeline their commands instead.
pub struct Session {
    child: std::process::Child,
    stdin: Option<std::process::ChildStdin>,
    replies: std::sync::mpsc::Receiver<String>,
}

impl Session {
    pub fn start(exe: &Path) -> Result<Session, String> {
        let mut child = Process::new(exe)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("could not run harness: {e}"))?;
        let stdout = BufReader::new(child.stdout.take().expect("piped"));
        let (tx, replies) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in stdout.lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Ok(Session {
            stdin: child.stdin.take(),
            child,
            replies,
        })
    }

    /// Send one command line and wait up to `timeout` for its reply. `Err`
    /// means the harness died or hung (it is killed then); the session is
    /// unusable afterwards.
    pub fn command(&mut self, line: &str, timeout: Duration) -> Result<String, String> {
        let stdin = self.stdin.as_mut().ok_or("harness already stopped")?;
        if writeln!(stdin, "{line}")
            .and_then(|_| stdin.flush())
            .is_err()
        {
            return Err(self.stop("harness stopped reading commands"));
        }
        match self.replies.recv_timeout(timeout) {
            Ok(reply) => Ok(reply),
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                Err(self.stop(&format!("no reply within {timeout:?}")))
            }
            Err(_) => Err(self.stop("harness stopped before answering")),
        }
    }

    fn stop(&mut self, why: &str) -> String {
        self.stdin = None;
        let _ = self.child.kill();
        match self.child.wait() {
            Ok(status) if !status.success() => format!("{why} ({status})"),
            _ => why.to_string(),
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.stdin = None;
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The harness index `K` of every exported function or global, by
/// `(instance, export name)`.
pub fn export_index(graph: &InstanceGraph, kind: ExternKind) -> HashMap<(usize, String), usize> {
    harness_exports(graph, kind)
        .into_iter()
        .enumerate()
        .map(|(k, (i, _, name))| ((i, name), k))
        .collect()
}

fn run(name: &str, plan: &Plan, exe: &Path, report: &mut ScriptReport) {
    let funcs = export_index(&plan.graph, ExternKind::Func);
    let globals = export_index(&plan.graph, ExternKind::Global);
    // Commands that cannot be sent (unknown export) fail here; the rest are
    // numbered so replies can be matched back.
    let mut lines = Vec::new();
    let mut sent = Vec::new();
    for c in &plan.commands {
        let line = match &c.action {
            Action::Instantiate(i) => Some(format!("i {i}")),
            Action::Invoke {
                instance,
                export,
                args,
            } => funcs.get(&(*instance, export.clone())).map(|k| {
                let mut l = format!("c {k}");
                for a in args {
                    l.push_str(&format!(" {a:032x}"));
                }
                l
            }),
            Action::Get { instance, export } => globals
                .get(&(*instance, export.clone()))
                .map(|k| format!("g {k}")),
        };
        match line {
            Some(l) => {
                lines.push(l);
                sent.push(c);
            }
            None => report
                .failures
                .push(format!("{name}:{}: no such export", c.line)),
        }
    }

    let (replies, exit) = match run_lines(exe, lines) {
        Ok(r) => r,
        Err(e) => {
            report.failures.push(format!("{name}: {e}"));
            return;
        }
    };
    for (c, reply) in sent.into_iter().zip(replies) {
        let Some(reply) = reply else {
            report.failures.push(format!(
                "{name}:{}: harness stopped before answering",
                c.line
            ));
            continue;
        };
        match check(&c.outcome, &reply) {
            Ok(()) => report.passed += 1,
            Err(e) => report.failures.push(format!("{name}:{}: {e}", c.line)),
        }
    }
    if let Some(exit) = exit {
        report.failures.push(format!("{name}: {exit}"));
    }
}

/// Send `lines` to a new harness process (pipelined) and collect one reply
/// per line (`None` once it stopped answering), and a description of its
/// exit when it did not end successfully.
pub(crate) fn run_lines(
    exe: &Path,
    lines: Vec<String>,
) -> Result<(Vec<Option<String>>, Option<String>), String> {
    let count = lines.len();
    let mut child = Process::new(exe)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not run harness: {e}"))?;
    let mut stdin = child.stdin.take().expect("piped");
    let writer = std::thread::spawn(move || {
        for l in lines {
            if writeln!(stdin, "{l}").is_err() {
                break;
            }
        }
    });
    let pid = child.id();
    let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
    let watchdog = std::thread::spawn(move || {
        if done_rx.recv_timeout(RUN_TIMEOUT).is_err() {
            // Still running: stop it so the script reports instead of hanging.
            let _ = Process::new("kill").arg("-9").arg(pid.to_string()).status();
        }
    });
    let stdout = BufReader::new(child.stdout.take().expect("piped"));
    let mut lines_read = stdout.lines();
    let replies = (0..count)
        .map(|_| match lines_read.next() {
            Some(Ok(r)) => Some(r),
            _ => None,
        })
        .collect();
    drop(lines_read);
    let _ = writer.join();
    let output = child.wait_with_output();
    let _ = done_tx.send(());
    let _ = watchdog.join();
    let exit = match output {
        Ok(out) if !out.status.success() => {
            let stderr = String::from_utf8_lossy(&out.stderr);
            Some(format!(
                "harness exited with {}: {}",
                out.status,
                stderr.trim()
            ))
        }
        _ => None,
    };
    Ok((replies, exit))
}

fn check(outcome: &Outcome, reply: &str) -> Result<(), String> {
    let (status, rest) = reply.split_once(' ').unwrap_or((reply, ""));
    match (outcome, status) {
        (Outcome::Trap(expected), "trap") => {
            if trap_matches(expected, rest) {
                Ok(())
            } else {
                Err(format!("expected trap {expected:?}, got trap {rest:?}"))
            }
        }
        (Outcome::Trap(expected), "ok") => {
            Err(format!("expected trap {expected:?}, got ok {rest}"))
        }
        (_, "trap") => Err(format!("unexpected trap: {rest}")),
        (Outcome::Success, "ok") => Ok(()),
        (Outcome::Return(expected), "ok") => {
            let values: Vec<u128> = rest
                .split_whitespace()
                .map(|h| u128::from_str_radix(h, 16))
                .collect::<Result<_, _>>()
                .map_err(|e| format!("bad harness reply {reply:?}: {e}"))?;
            if values.len() != expected.len() {
                return Err(format!(
                    "expected {} results, got {}",
                    expected.len(),
                    values.len()
                ));
            }
            for (i, (e, v)) in expected.iter().zip(&values).enumerate() {
                if !matches(e, *v) {
                    return Err(format!("result {i}: expected {e:?}, got {v:#034x}"));
                }
            }
            Ok(())
        }
        _ => Err(format!("bad harness reply {reply:?}")),
    }
}
