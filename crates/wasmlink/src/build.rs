//! The build pipeline: resolve, compile, emit, link.

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
    let mut pool = rayon::ThreadPoolBuilder::new();
    if let Some(jobs) = options.jobs {
        pool = pool.num_threads(jobs);
    }
    let pool = pool
        .build()
        .context("could not start the compiler threads")?;
    let program = pool.install(|| compile_graph(graph, &*isa, &compile_options))?;
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let object = wasmlink_emit::emit_object(&program, isa)?;
    wasmlink_link::link_executable(&object, output).with_context(|| format!("linking {shown}"))?;
    Ok(())
}
