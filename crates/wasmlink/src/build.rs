//! The build pipeline: resolve, compile, emit, link; and how many compiler
//! threads a build uses.

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use wasmlink_codegen::{compile_graph, target_isa, CompileOptions, LinkMode};
use wasmlink_graph::{LoadOptions, ResolvedGraph};

pub struct BuildOptions {
    pub input: PathBuf,
    pub link: LinkMode,
    pub jobs: Option<usize>,
}

/// Load and resolve the graph rooted at `input`.
pub fn load(input: &Path, options: &LoadOptions) -> Result<ResolvedGraph> {
    Ok(wasmlink_graph::load_graph(input, options)?)
}

/// The most compiler threads a build may use (`-j`, `RAYON_NUM_THREADS`).
pub const MAX_JOBS: usize = 1024;

/// Parse `-j N`: a number from 1 to [`MAX_JOBS`].
pub fn parse_jobs(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n @ 1..=MAX_JOBS) => Ok(n),
        _ => Err(format!("expected a number of threads from 1 to {MAX_JOBS}")),
    }
}

/// How many compiler threads to start: `-j` if given, else
/// `RAYON_NUM_THREADS` (when it is a positive number; capped at
/// [`MAX_JOBS`]), else one per core; never more than `work` (the number
/// of things to compile) and never fewer than one.
fn compile_threads(jobs: Option<usize>, env: Option<&str>, cores: usize, work: usize) -> usize {
    let wanted = jobs
        .or_else(|| {
            env.and_then(|v| v.trim().parse::<usize>().ok())
                .filter(|&n| n > 0)
        })
        .unwrap_or(cores);
    wanted.min(MAX_JOBS).min(work).max(1)
}

/// An upper bound on the compile stage's work items: every function of
/// every source (defined ones are compiled; imported ones may get a
/// wrapper), one instantiation function per instance and the start code.
fn compile_work(graph: &wasmlink_graph::InstanceGraph) -> usize {
    let functions: usize = graph.sources.iter().map(|s| s.module.funcs.len()).sum();
    functions + graph.instances.len() + 1
}

/// Build `options.input` into the executable `output`.
pub fn build(options: &BuildOptions, output: &Path) -> Result<()> {
    let resolved = load(&options.input, &LoadOptions::default())?;
    build_resolved(&resolved, options, output, &output.display())
}

/// Compile, emit and link an already resolved graph into `output`;
/// messages call the output `shown`.
pub fn build_resolved(
    resolved: &ResolvedGraph,
    options: &BuildOptions,
    output: &Path,
    shown: &dyn std::fmt::Display,
) -> Result<()> {
    let graph = &resolved.graph;
    // Checked now, before compiling, and again when the file is written.
    let destination = wasmlink_link::Destination::check(output, &resolved.input_files)?;
    let isa = target_isa()?;

    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("compiling {bar:40} {pos}/{len} functions")
                .expect("the template is valid"),
        );
        bar
    });
    let tick = |total: usize| {
        if let Some(bar) = &bar {
            bar.set_length(total as u64);
            bar.inc(1);
        }
    };
    let compile_options = CompileOptions {
        link: options.link,
        progress: Some(&tick),
        harness: false,
    };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let env = std::env::var("RAYON_NUM_THREADS").ok();
    let threads = compile_threads(options.jobs, env.as_deref(), cores, compile_work(graph));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("could not start the compiler threads")?;
    let program = pool.install(|| compile_graph(graph, &*isa, &compile_options))?;
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let object = wasmlink_emit::emit_object(&program, isa)?;
    wasmlink_link::link_to(&wasmlink_link::c_compiler(), &object, &destination)
        .with_context(|| format!("linking {shown}"))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jobs_must_be_between_1_and_1024() {
        assert_eq!(parse_jobs("1"), Ok(1));
        assert_eq!(parse_jobs("1024"), Ok(1024));
        for bad in ["0", "1025", "100000", "-1", "two", ""] {
            assert!(parse_jobs(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn threads_never_exceed_the_work_or_the_cap() {
        // -j wins over the environment, and is still bounded by the work.
        assert_eq!(compile_threads(Some(8), Some("2"), 4, 100), 8);
        assert_eq!(compile_threads(Some(8), None, 4, 3), 3);
        // RAYON_NUM_THREADS: used when positive, capped, else ignored.
        assert_eq!(compile_threads(None, Some("3"), 4, 100), 3);
        assert_eq!(
            compile_threads(None, Some("100000"), 4, 1_000_000),
            MAX_JOBS
        );
        assert_eq!(compile_threads(None, Some("100000"), 4, 5), 5);
        assert_eq!(compile_threads(None, Some("0"), 4, 100), 4);
        assert_eq!(compile_threads(None, Some("many"), 4, 100), 4);
        // One per core by default; at least one thread.
        assert_eq!(compile_threads(None, None, 2, 100), 2);
        assert_eq!(compile_threads(None, None, 2, 0), 1);
        assert_eq!(compile_threads(None, None, 100_000, usize::MAX), MAX_JOBS);
    }
}
