//! The build sequence, written once: a resolved graph is compiled
//! (`wasmlink-codegen`), emitted as one relocatable object
//! (`wasmlink-emit`) and linked with the runtime into an executable
//! (`wasmlink-link`). `wasmlink build`, `wasmlink run`, the spec-test
//! harness ([`crate::wast`]) and the fuzz targets all go through
//! [`build_object`] / [`build_executable`]; a build with
//! pre-initialisation first takes a snapshot (the `preinit` module).

use std::time::{Duration, Instant};
use wasmlink_codegen::{
    compile_graph, target_isa, CodegenError, CompileOptions, LinkMode, Optimizations, Preinit,
};
use wasmlink_emit::{EmitError, SymbolNames};
use wasmlink_graph::{InstanceGraph, PreinitRequest};
use wasmlink_link::{Destination, LinkError, Linker, Symbols};

/// How to build.
#[derive(Clone, Copy, Default)]
pub struct BuildOptions<'a> {
    pub link: LinkMode,
    /// Whole-program optimisations of a static link (`--wpo`).
    pub wpo: Optimizations,
    /// Build the spec-test harness interface instead of running an entry
    /// (see `wasmlink_codegen::harness`).
    pub harness: bool,
    /// Compile with a pool of this many threads; `None` compiles in the
    /// caller's rayon pool (the global one unless the caller installed
    /// another), which is what a caller that already runs builds in
    /// parallel wants.
    pub threads: Option<usize>,
    /// Called once per compiled function with the total number of
    /// functions (for a progress bar).
    pub progress: Option<&'a (dyn Fn(usize) + Sync)>,
    /// Called when a phase of the build starts (for a progress bar).
    pub phase: Option<&'a (dyn Fn(Phase) + Sync)>,
    /// The linker; `None` is [`Linker::from_env`] (`$CC`, else `cc`).
    pub linker: Option<&'a Linker>,
    /// Whether the executable keeps a symbol table, with Wasm names
    /// (`-g`), or not (`-s`, the default).
    pub symbols: Symbols,
    /// Pre-initialise (the `preinit` module): the program is built and
    /// run up to the end of its initialisation first, and the object
    /// starts from a snapshot of that state.
    pub preinit: Option<&'a PreinitRequest>,
}

/// A phase of a build, as [`BuildOptions::phase`] reports it. A build
/// with pre-initialisation goes through compile, emit and link twice
/// (the snapshot program, then the executable), with `RunSnapshot` in
/// between.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Compile,
    Emit,
    Link,
    RunSnapshot,
}

impl BuildOptions<'_> {
    pub(crate) fn report(&self, phase: Phase) {
        if let Some(f) = self.phase {
            f(phase);
        }
    }

    /// The linker this build uses.
    pub(crate) fn linker(&self) -> Result<Linker, LinkError> {
        match self.linker {
            Some(l) => Ok(l.clone()),
            None => Linker::from_env(),
        }
    }
}

/// Why a build failed.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error(transparent)]
    Compile(#[from] CodegenError),
    #[error(transparent)]
    Emit(#[from] EmitError),
    #[error(transparent)]
    Link(#[from] LinkError),
    #[error("could not start {threads} compiler threads: {message}")]
    Threads { threads: usize, message: String },
    #[error("cannot pre-initialise the program: {message}")]
    Preinit { message: String },
}

/// Where the time of a build went.
#[derive(Clone, Copy, Debug, Default)]
pub struct BuildTimings {
    /// Translation and Cranelift compilation.
    pub compile: Duration,
    /// Writing the object file.
    pub emit: Duration,
    /// The system linker.
    pub link: Duration,
    /// Building and running the snapshot program (pre-initialisation).
    pub preinit: Duration,
}

/// The most compiler threads a build may use (`-j`, `RAYON_NUM_THREADS`).
pub const MAX_THREADS: usize = 1024;

/// How many compiler threads a build of `graph` starts: `jobs` (`-j`) if
/// given, else `RAYON_NUM_THREADS` when it is a positive number, else one
/// per core; capped at [`MAX_THREADS`], never more than the compile work
/// and never fewer than one.
pub fn thread_count(jobs: Option<usize>, graph: &InstanceGraph) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let env = std::env::var("RAYON_NUM_THREADS").ok();
    threads_for(jobs, env.as_deref(), cores, compile_work(graph))
}

fn threads_for(jobs: Option<usize>, env: Option<&str>, cores: usize, work: usize) -> usize {
    let wanted = jobs
        .or_else(|| {
            env.and_then(|v| v.trim().parse::<usize>().ok())
                .filter(|&n| n > 0)
        })
        .unwrap_or(cores);
    wanted.min(MAX_THREADS).min(work).max(1)
}

/// An upper bound on the compile stage's work items: every function of
/// every source (defined ones are compiled; imported ones may get a
/// wrapper), one instantiation function per instance and the start code.
fn compile_work(graph: &InstanceGraph) -> usize {
    let functions: usize = graph.sources.iter().map(|s| s.module.funcs.len()).sum();
    functions + graph.instances.len() + 1
}

/// Compile `graph` and emit it as an ELF relocatable object (with
/// `options.preinit`, first take its snapshot: that builds, links and
/// runs the snapshot program).
pub fn build_object(
    graph: &InstanceGraph,
    options: &BuildOptions,
) -> Result<(Vec<u8>, BuildTimings), BuildError> {
    let Some(request) = options.preinit else {
        return compile_object(graph, options, &Preinit::Off);
    };
    let mut spent = Duration::ZERO;
    let snapshot = crate::preinit::take_snapshot(graph, options, request, &mut spent)?;
    let restore = Preinit::Restore {
        snapshot: std::sync::Arc::new(snapshot),
        init: request.init.as_ref().map(|(at, _)| (at.instance, at.index)),
    };
    let (object, mut timings) = compile_object(graph, options, &restore)?;
    timings.preinit = spent;
    Ok((object, timings))
}

/// Compile `graph` in pre-initialisation mode `preinit` and emit it.
pub(crate) fn compile_object(
    graph: &InstanceGraph,
    options: &BuildOptions,
    preinit: &Preinit,
) -> Result<(Vec<u8>, BuildTimings), BuildError> {
    let mut timings = BuildTimings::default();
    let started = Instant::now();
    options.report(Phase::Compile);
    let isa = target_isa()?;
    let compile_options = CompileOptions {
        link: options.link,
        wpo: options.wpo,
        progress: options.progress,
        harness: options.harness,
        preinit: preinit.clone(),
    };
    let program = match options.threads {
        None => compile_graph(graph, &*isa, &compile_options)?,
        Some(threads) => rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|e| BuildError::Threads {
                threads,
                message: e.to_string(),
            })?
            .install(|| compile_graph(graph, &*isa, &compile_options))?,
    };
    timings.compile = started.elapsed();
    let started = Instant::now();
    options.report(Phase::Emit);
    let names = match options.symbols {
        Symbols::Keep => SymbolNames::Wasm,
        Symbols::Strip => SymbolNames::Internal,
    };
    let object = wasmlink_emit::emit_object(&program, isa, names)?;
    timings.emit = started.elapsed();
    Ok((object, timings))
}

/// Compile, emit and link `graph` into `destination` (checked beforehand
/// against the build's inputs: see [`Destination::check`]).
pub fn build_executable(
    graph: &InstanceGraph,
    options: &BuildOptions,
    destination: &Destination,
) -> Result<BuildTimings, BuildError> {
    // An unusable `CC` or `--linker` is refused before anything compiles.
    let linker = options.linker()?;
    let (object, mut timings) = build_object(graph, options)?;
    let started = Instant::now();
    let assets = write_assets(graph)?;
    timings.emit += started.elapsed();
    let started = Instant::now();
    options.report(Phase::Link);
    let extra: Vec<&std::path::Path> = assets.iter().map(|(_, p)| p.as_path()).collect();
    wasmlink_link::link_with(&linker, &object, &extra, destination, options.symbols)?;
    timings.link = started.elapsed();
    Ok(timings)
}

/// The assets object of `graph`'s embedded files, written into a private
/// temporary directory (removed when the result is dropped, or by an
/// interruption), or `None` when it embeds nothing.
fn write_assets(
    graph: &InstanceGraph,
) -> Result<Option<(wasmlink_link::ScratchDir, std::path::PathBuf)>, BuildError> {
    if graph.embedded.is_empty() {
        return Ok(None);
    }
    let dir = wasmlink_link::ScratchDir::new_in(&std::env::temp_dir(), ".wasmlink-assets-")
        .map_err(|error| EmitError::AssetsIo {
            path: std::env::temp_dir(),
            error,
        })?;
    let path = dir.path().join("assets.o");
    wasmlink_emit::write_assets(&graph.embedded, &path)?;
    Ok(Some((dir, path)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threads_never_exceed_the_work_or_the_cap() {
        // -j wins over the environment, and is still bounded by the work.
        assert_eq!(threads_for(Some(8), Some("2"), 4, 100), 8);
        assert_eq!(threads_for(Some(8), None, 4, 3), 3);
        // RAYON_NUM_THREADS: used when positive, capped, else ignored.
        assert_eq!(threads_for(None, Some("3"), 4, 100), 3);
        assert_eq!(threads_for(None, Some("100000"), 4, 1_000_000), MAX_THREADS);
        assert_eq!(threads_for(None, Some("100000"), 4, 5), 5);
        assert_eq!(threads_for(None, Some("0"), 4, 100), 4);
        assert_eq!(threads_for(None, Some("many"), 4, 100), 4);
        // One per core by default; at least one thread.
        assert_eq!(threads_for(None, None, 2, 100), 2);
        assert_eq!(threads_for(None, None, 2, 0), 1);
        assert_eq!(threads_for(None, None, 100_000, usize::MAX), MAX_THREADS);
    }
}
