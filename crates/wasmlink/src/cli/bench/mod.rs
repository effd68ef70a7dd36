//! `wasmlink bench`: run variants of one program in one interleaved
//! series and compare their CPU time. The variants (`variants.rs`) are the
//! program linked statically with and without whole-program optimisation,
//! linked dynamically, run by `wasmtime` from precompiled modules
//! (`wasmtime.rs`, `preload.rs`), and the same program's C source built by
//! clang and cc.
//!
//! Every variant is built first (timed), then run once to check that it
//! succeeds and that all of them print the same stdout; then round `i`
//! runs every variant once, starting with variant `i`, so load from other
//! processes hits all of them alike. Each run's CPU and wall time come
//! from `wait4` (`measure.rs`). The static variant is also built with 1
//! and 2 compiler threads. Results go out as a table or JSON
//! (`report.rs`) and optionally an SVG chart (`plot.rs`).

mod measure;
mod plot;
mod preload;
mod report;
mod variants;
mod wasmtime;

use anyhow::{bail, Context, Result};
use measure::{describe_status, run_child, stderr_file, tail, Finished, Timing};
use report::{Measured, Results};
use std::ffi::OsString;
use std::fs::File;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::{ExitCode, Stdio};
use variants::{build_native, build_wasmlink, find_clang, which, Kind, Variant};

#[derive(clap::Args)]
pub struct BenchArgs {
    /// A manifest (`app.json`) or a module (`main.wasm` / `main.wat`).
    input: PathBuf,
    /// The same program in C: adds the variants clang and cc (`-O2 … -lm`).
    #[arg(long, value_name = "SRC.c")]
    native: Option<PathBuf>,
    /// The wasmtime binary (default: `wasmtime` on PATH; without one there
    /// is no wasmtime variant).
    #[arg(long, value_name = "PATH")]
    wasmtime: Option<PathBuf>,
    /// Timed runs of each variant.
    #[arg(long, default_value = "11", value_parser = parse_runs)]
    runs: usize,
    /// The variants to run, comma-separated: static, static-no-wpo,
    /// dynamic, wasmtime, clang, cc.
    #[arg(long, value_enum, value_delimiter = ',', value_name = "LIST")]
    variants: Option<Vec<Kind>>,
    /// Print one JSON document instead of the table.
    #[arg(long)]
    json: bool,
    /// Also write the median CPU times as an SVG bar chart to this file.
    #[arg(long, value_name = "OUT.svg")]
    plot: Option<PathBuf>,
    /// The program's arguments.
    #[arg(last = true, value_name = "ARGS")]
    args: Vec<String>,
}

fn parse_runs(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n @ 1..=100_000) => Ok(n),
        _ => Err("expected a number of runs from 1 to 100000".into()),
    }
}

/// Say what is being done, when someone is watching.
fn progress(what: &str) {
    if std::io::stderr().is_terminal() {
        eprintln!("wasmlink bench: {what}");
    }
}

pub fn run(a: &BenchArgs) -> Result<ExitCode> {
    let resolved = crate::cli::build::load(&a.input, &Default::default())?;
    // Every tool is found before anything is built: a missing one is an
    // error now, not after minutes of compiling.
    let wasmtime_tool = wasmtime::find(a.wasmtime.as_deref())?;
    let selection = variants::select(
        a.variants.as_deref(),
        a.native.is_some(),
        a.wasmtime.is_some(),
        wasmtime_tool.is_some(),
    )?;
    let mut kinds = selection.kinds;
    let mut skipped = Vec::new();
    let mut plan = None;
    if kinds.contains(&Kind::Wasmtime) {
        match preload::plan(&resolved, &a.input) {
            Ok(p) => plan = Some(p),
            Err(reason) if selection.wasmtime_required => {
                bail!("wasmtime cannot run {}: {reason}", a.input.display())
            }
            Err(reason) => {
                crate::cli::diag::note(&format!("no wasmtime variant: {reason}"));
                kinds.retain(|&k| k != Kind::Wasmtime);
                skipped.push((Kind::Wasmtime, reason));
            }
        }
    }
    let clang = if kinds.contains(&Kind::Clang) {
        Some(find_clang()?)
    } else {
        None
    };
    if let Some(src) = &a.native {
        if !src.is_file() {
            bail!("--native {}: no such file", src.display());
        }
    }
    let wasmtime = wasmtime_tool.zip(plan);

    let scratch = wasmlink_link::ScratchDir::new_in(&std::env::temp_dir(), ".wasmlink-bench-")
        .context("creating a temporary directory")?;
    let dir = scratch.path();
    // Every variant sees the input as its name, as under `wasmlink run`
    // and wasmtime, so a program that prints argv[0] prints the same.
    let arg0 = a.input.clone().into_os_string();
    let build = Build {
        args: a,
        resolved: &resolved,
        dir,
        arg0: &arg0,
    };
    let mut prepared = Vec::new();
    for &kind in &kinds {
        progress(&format!("building {}", kind.name()));
        prepared.push(build.variant(kind, clang.as_deref(), wasmtime.as_ref())?);
    }

    let threads = if kinds.contains(&Kind::Static) {
        progress("building static with 1 and 2 compiler threads");
        Some(thread_builds(&resolved, &a.input, dir, a.runs.min(3))?)
    } else {
        None
    };
    progress("checking that every variant prints the same");
    check_outputs(&prepared, dir, &arg0)?;
    progress(&format!("{} rounds of {} variants", a.runs, prepared.len()));
    let mut measured: Vec<Measured> = prepared
        .iter()
        .map(|variant| Measured {
            variant,
            cpu: Vec::new(),
            wall: Vec::new(),
        })
        .collect();
    let n = prepared.len();
    for round in 0..a.runs {
        for k in 0..n {
            let i = (round + k) % n;
            let done = run_once(&prepared[i], Stdio::null(), dir, &arg0)?;
            measured[i].cpu.push(done.timing.cpu);
            measured[i].wall.push(done.timing.wall);
        }
    }

    let results = Results {
        input: a.input.display().to_string(),
        args: &a.args,
        runs: a.runs,
        variants: measured,
        threads,
        skipped,
    };
    if let Some(path) = &a.plot {
        std::fs::write(path, plot::svg(&results))
            .with_context(|| format!("writing {}", path.display()))?;
    }
    if a.json {
        println!("{}", serde_json::to_string_pretty(&results.json())?);
    } else {
        print!("{}", results.table());
    }
    Ok(ExitCode::SUCCESS)
}

/// What building a variant needs.
struct Build<'a> {
    args: &'a BenchArgs,
    resolved: &'a wasmlink::ResolvedGraph,
    /// The scratch directory, for executables and compiled modules.
    dir: &'a Path,
    arg0: &'a OsString,
}

impl Build<'_> {
    /// Build the `kind` variant, timed; `clang` is the clang variant's
    /// compiler, `wasmtime` the tool and the plan of the wasmtime variant.
    fn variant(
        &self,
        kind: Kind,
        clang: Option<&Path>,
        wasmtime: Option<&(PathBuf, preload::Plan)>,
    ) -> Result<Variant> {
        let a = self.args;
        let exe = self.dir.join(kind.name());
        let build = match kind {
            Kind::Static | Kind::StaticNoWpo | Kind::Dynamic => {
                build_wasmlink(self.resolved, &a.input, kind, None, &exe)?
            }
            Kind::Clang | Kind::Cc => {
                let compiler = match clang {
                    Some(c) if kind == Kind::Clang => c,
                    _ => Path::new("cc"),
                };
                let src = a.native.as_deref().context("--native is needed")?;
                build_native(compiler, src, &exe, self.dir)?
            }
            Kind::Wasmtime => {
                let Some((tool, plan)) = wasmtime else {
                    bail!("no wasmtime to run");
                };
                let w = wasmtime::prepare(tool, plan, self.resolved, self.dir, self.arg0, &a.args)?;
                return Ok(Variant {
                    kind,
                    argv: w.argv,
                    build: w.build,
                    size: w.size,
                });
            }
        };
        let size = std::fs::metadata(&exe)
            .with_context(|| format!("the {} variant has no executable", kind.name()))?
            .len();
        let mut argv: Vec<OsString> = vec![exe.into()];
        argv.extend(a.args.iter().map(OsString::from));
        Ok(Variant {
            kind,
            argv,
            build,
            size,
        })
    }
}

/// Run `v` once with its stdout going to `stdout`; a run that does not end
/// with status 0 is an error that shows the end of its stderr.
/// `RUST_BACKTRACE` is removed from every variant's environment: with it
/// set, wasmtime records a host backtrace at every Wasm exception thrown.
fn run_once(v: &Variant, stdout: Stdio, dir: &Path, arg0: &OsString) -> Result<Finished> {
    let err_path = dir.join("run.stderr");
    let (err, mut err_read) = stderr_file(&err_path)?;
    let done = run_child(&v.argv, arg0, &["RUST_BACKTRACE"], stdout, err)
        .with_context(|| format!("the {} variant", v.kind.name()))?;
    if !done.status.success() {
        bail!(
            "the {} variant failed ({}); the end of its stderr:\n{}",
            v.kind.name(),
            describe_status(done.status),
            tail(&mut err_read)
        );
    }
    Ok(done)
}

/// Run every variant once and compare what they print on stdout.
fn check_outputs(variants: &[Variant], dir: &Path, arg0: &OsString) -> Result<()> {
    let mut groups: Vec<(Vec<&str>, Vec<u8>)> = Vec::new();
    for v in variants {
        let out_path = dir.join("check.stdout");
        let out =
            File::create(&out_path).with_context(|| format!("creating {}", out_path.display()))?;
        run_once(v, out.into(), dir, arg0)?;
        let text =
            std::fs::read(&out_path).with_context(|| format!("reading {}", out_path.display()))?;
        match groups.iter_mut().find(|(_, t)| *t == text) {
            Some((names, _)) => names.push(v.kind.name()),
            None => groups.push((vec![v.kind.name()], text)),
        }
    }
    let Some(((first_names, first), others)) = groups.split_first() else {
        return Ok(());
    };
    if others.is_empty() {
        return Ok(());
    }
    let mut parts = vec![format!(
        "{} print {} bytes",
        first_names.join(", "),
        first.len()
    )];
    let first_text = String::from_utf8_lossy(first);
    let old: Vec<&str> = first_text.lines().collect();
    for (names, text) in others {
        let text_str = String::from_utf8_lossy(text);
        let new: Vec<&str> = text_str.lines().collect();
        let line = (0..old.len().max(new.len()))
            .find(|&i| old.get(i) != new.get(i))
            .unwrap_or(old.len());
        let shown = |lines: &[&str]| match lines.get(line) {
            Some(l) => format!("{:?}", truncate(l)),
            None => "nothing".to_string(),
        };
        parts.push(format!(
            "{} print {} bytes, with line {} {} where {} print {}",
            names.join(", "),
            text.len(),
            line + 1,
            shown(&new),
            first_names.join(", "),
            shown(&old)
        ));
    }
    bail!(
        "the variants do not print the same output: {}",
        parts.join("; ")
    )
}

fn truncate(line: &str) -> String {
    line.chars().take(80).collect()
}

/// The static variant built with 1 and 2 compiler threads, `rounds` times
/// each, alternating which goes first: the minimum wall and the minimum
/// CPU time of each.
fn thread_builds(
    resolved: &wasmlink::ResolvedGraph,
    input: &Path,
    dir: &Path,
    rounds: usize,
) -> Result<(Timing, Timing)> {
    let exe = dir.join("static-threads");
    let mut best: [Option<Timing>; 2] = [None, None];
    for round in 0..rounds {
        for k in 0..2 {
            let j = (round + k) % 2;
            let t = build_wasmlink(resolved, input, Kind::Static, Some(j + 1), &exe)?;
            best[j] = Some(match best[j] {
                Some(b) => Timing {
                    wall: b.wall.min(t.wall),
                    cpu: b.cpu.min(t.cpu),
                },
                None => t,
            });
        }
    }
    match best {
        [Some(j1), Some(j2)] => Ok((j1, j2)),
        _ => bail!("no build was timed"),
    }
}
