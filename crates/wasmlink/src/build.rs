//! The build pipeline: resolve, compile, emit, link.

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use wasmlink_codegen::{compile_graph, target_isa, CompileOptions, LinkMode};
use wasmlink_graph::ResolvedGraph;

pub struct BuildOptions {
    pub input: PathBuf,
    pub link: LinkMode,
    pub jobs: Option<usize>,
}

/// Load and resolve the graph rooted at `input`.
pub fn load(input: &Path) -> Result<ResolvedGraph> {
    Ok(wasmlink_graph::load_graph(input, &Default::default())?)
}

/// Build `options.input` into the executable `output`.
pub fn build(options: &BuildOptions, output: &Path) -> Result<()> {
    let resolved = load(&options.input)?;
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
    wasmlink_link::link_executable(&object, output)
        .with_context(|| format!("linking {}", output.display()))?;
    Ok(())
}

/// Build into a temporary directory and run the result with `args`.
pub fn run(options: &BuildOptions, args: &[String]) -> Result<ExitCode> {
    let dir = tempfile::tempdir().context("could not create a temporary directory")?;
    let stem = options
        .input
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "program".into());
    let exe = dir.path().join(stem);
    build(options, &exe)?;
    let status = std::process::Command::new(&exe)
        .args(args)
        .status()
        .with_context(|| format!("could not run {}", exe.display()))?;
    let code = match status.code() {
        Some(c) => c,
        None => {
            use std::os::unix::process::ExitStatusExt;
            128 + status.signal().unwrap_or(0)
        }
    };
    Ok(ExitCode::from(code as u8))
}
