//! `wasmlink`: the command-line front end. It parses arguments, calls the
//! library (`wasmlink::pipeline`, `wasmlink::wast`) and reports errors; the
//! subcommands live in [`cli`].

mod cli;

use cli::{bench, build, disas, run, wast};

use anyhow::Result;
use clap::{Parser, Subcommand, ValueEnum};
use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "wasmlink",
    version,
    about = "Link a WebAssembly module graph into one native executable"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum LinkArg {
    /// Every resolved import is a direct call.
    Static,
    /// Cross-instance calls go through an import table filled at start-up.
    Dynamic,
}

impl LinkArg {
    pub(crate) fn mode(self) -> wasmlink::LinkMode {
        match self {
            LinkArg::Static => wasmlink::LinkMode::Static,
            LinkArg::Dynamic => wasmlink::LinkMode::Dynamic,
        }
    }
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum GraphFormat {
    Text,
    Dot,
}

#[derive(clap::Args, Clone)]
struct BuildArgs {
    /// A manifest (`app.json`) or a module (`main.wasm` / `main.wat`).
    input: PathBuf,
    /// How cross-instance calls are linked.
    #[arg(long, value_enum, default_value = "static")]
    link: LinkArg,
    /// Whole-program optimisations of a static link: all, none, or a
    /// comma-separated list of inline, fixed-state, devirtualize, dead-code, stack-checks.
    #[arg(long, value_name = "LIST", value_parser = build::parse_wpo)]
    wpo: Option<wasmlink::Optimizations>,
    /// Compile with this many threads, 1 to 1024 (default: one per core,
    /// or RAYON_NUM_THREADS); never more than there are functions.
    #[arg(short = 'j', long, value_parser = build::parse_jobs)]
    jobs: Option<usize>,
    /// wasi-threads: how many spawned threads may run at once, 0 to 4096
    /// (default: the manifest's `wasi.max_threads`, else 64).
    #[arg(long, value_name = "N", value_parser = build::parse_max_threads)]
    max_threads: Option<u32>,
    #[command(flatten)]
    preinit: PreinitFlags,
    /// Pack host file or directory HOST into the executable as a read-only
    /// preopened directory GUEST (default: the same path), after the
    /// manifest's `wasi.embed`.
    #[arg(long = "embed", value_name = "HOST[::GUEST]", value_parser = build::parse_embed)]
    embed: Vec<(String, PathBuf)>,
}

/// Pre-initialisation flags of `build` and `run`.
#[derive(clap::Args, Clone, Debug, Default)]
struct PreinitFlags {
    /// Run start functions and `_initialize` at build time; the executable
    /// starts from a snapshot of the initialised program.
    #[arg(long)]
    preinit: bool,
    /// Pre-initialise, calling this export of the entry instance after
    /// instantiation (e.g. wizer.initialize).
    #[arg(long, value_name = "NAME")]
    preinit_export: Option<String>,
}

impl PreinitFlags {
    fn args(&self) -> build::PreinitArgs {
        build::PreinitArgs {
            on: self.preinit || self.preinit_export.is_some(),
            export: self.preinit_export.clone(),
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Build a native executable from a module graph.
    Build {
        #[command(flatten)]
        build: BuildArgs,
        /// Path of the executable to write.
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Build (or reuse a cached build) and run it; everything after the input goes to the program.
    #[command(trailing_var_arg = true)]
    Run {
        /// How cross-instance calls are linked.
        #[arg(long, value_enum, default_value = "static")]
        link: LinkArg,
        /// Whole-program optimisations of a static link: all, none, or a
        /// comma-separated list of inline, fixed-state, devirtualize, dead-code, stack-checks.
        #[arg(long, value_name = "LIST", value_parser = build::parse_wpo)]
        wpo: Option<wasmlink::Optimizations>,
        /// Compile with this many threads, 1 to 1024 (default: one per core,
        /// or RAYON_NUM_THREADS); never more than there are functions.
        #[arg(short = 'j', long, value_parser = build::parse_jobs)]
        jobs: Option<usize>,
        /// wasi-threads: how many spawned threads may run at once, 0 to
        /// 4096 (default: the manifest's `wasi.max_threads`, else 64).
        #[arg(long, value_name = "N", value_parser = build::parse_max_threads)]
        max_threads: Option<u32>,
        #[command(flatten)]
        preinit: PreinitFlags,
        /// Preopen host directory HOST, as GUEST inside (default: the same path).
        #[arg(long = "dir", value_name = "HOST[::GUEST]")]
        dirs: Vec<String>,
        /// Set NAME to VALUE; NAME alone passes the variable through from here.
        #[arg(long = "env", value_name = "NAME[=VALUE]")]
        envs: Vec<String>,
        /// The program's name as it sees it (argv[0]).
        #[arg(long, value_name = "NAME")]
        argv0: Option<String>,
        /// WASI options, as wasmtime's: inherit-network and
        /// allow-ip-name-lookup, each optionally =y or =n, comma-separated.
        #[arg(short = 'S', long = "wasi", value_name = "KEY[=VAL[,…]]")]
        wasi: Vec<String>,
        /// Call this export of the entry instance; its arguments follow the input.
        #[arg(long, value_name = "NAME")]
        invoke: Option<String>,
        /// Build into a temporary directory instead of the cache.
        #[arg(long)]
        no_cache: bool,
        /// The input (a manifest or a module), then the program's
        /// arguments: everything after the input goes to the program,
        /// flags included (as with `wasmtime run`).
        #[arg(
            required = true,
            allow_hyphen_values = true,
            value_name = "INPUT [ARGS]"
        )]
        input_and_args: Vec<OsString>,
    },
    /// Print the resolved graph: instances, sources and every import edge.
    Graph {
        /// A manifest (`app.json`) or a module (`main.wasm` / `main.wat`).
        input: PathBuf,
        /// Output format (DOT renders with Graphviz).
        #[arg(long, value_enum, default_value = "text")]
        format: GraphFormat,
    },
    /// Compare variants of one program in one interleaved series: static and
    /// dynamic linking, with and without whole-program optimisation,
    /// wasmtime and native C.
    Bench(bench::BenchArgs),
    /// Print the code generated for each function: optimised CLIF or machine code.
    Disas(disas::DisasArgs),
    /// Run WebAssembly spec scripts (.wast) through the real pipeline.
    Wast {
        /// Script files, or folders searched for `*.wast`.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Print a conformance table (one row per folder) instead of every failure.
        #[arg(long)]
        summary: bool,
        /// Whole-program optimisations of the harness executables: all
        /// (default), none, or a comma-separated list of inline,
        /// fixed-state, devirtualize, dead-code, stack-checks.
        #[arg(long, value_name = "LIST", value_parser = build::parse_wpo)]
        wpo: Option<wasmlink::Optimizations>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // A build interrupted by SIGINT, SIGTERM or SIGHUP removes its
    // temporary files and stops the C compiler before dying of the signal.
    // This must happen before any other thread starts.
    if matches!(
        cli.command,
        Command::Build { .. } | Command::Run { .. } | Command::Bench(_)
    ) {
        if let Err(e) = wasmlink_link::interrupt::install() {
            eprintln!("error: could not watch for interruptions: {e}");
            return ExitCode::FAILURE;
        }
    }
    // Panics are wasmlink bugs: the compile stage turns them into errors that
    // name the function, and anything else is reported below, in one line.
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(|| run(cli));
    // Once interrupted, the process ends with the signal, whatever the
    // build returned (its error may only be a consequence of the cleanup).
    wasmlink_link::interrupt::wait_if_interrupted();
    match result {
        Ok(Ok(code)) => code,
        Ok(Err(e)) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            eprintln!("error: internal error: {message} (this is a wasmlink bug)");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Build { build, output } => {
            build::build(&build.to_options()?, &output)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Run {
            link,
            wpo,
            jobs,
            max_threads,
            preinit,
            dirs,
            envs,
            argv0,
            wasi,
            invoke,
            no_cache,
            input_and_args,
        } => {
            let mut rest = input_and_args.into_iter();
            let input = PathBuf::from(rest.next().unwrap_or_default());
            let mut args: Vec<OsString> = rest.collect();
            // `wasmlink run app.json -- a b`: the `--` only separates.
            if args.first().is_some_and(|a| a == "--") {
                args.remove(0);
            }
            run::run(&run::RunOptions {
                build: build::BuildOptions {
                    input,
                    link: link.mode(),
                    wpo: build::optimizations(link.mode(), wpo)?,
                    jobs,
                    max_threads,
                    preinit: preinit.args(),
                    embed: Vec::new(),
                },
                dirs,
                envs,
                argv0,
                wasi: run::parse_wasi_options(&wasi)?,
                invoke,
                no_cache,
                args,
            })
        }
        Command::Graph { input, format } => {
            let resolved = build::load(&input, &Default::default())?;
            let text = match format {
                // Names come from the inputs: never let them drive the
                // terminal.
                GraphFormat::Text => {
                    wasmlink_graph::escaped_lines(&wasmlink_graph::render_text(&resolved))
                }
                GraphFormat::Dot => wasmlink_graph::render_dot(&resolved),
            };
            print!("{text}");
            Ok(ExitCode::SUCCESS)
        }
        Command::Wast {
            paths,
            summary,
            wpo,
        } => {
            wasmlink::wast::set_optimizations(wpo.unwrap_or_default());
            wast::run(&paths, summary)
        }
        Command::Disas(args) => disas::run(&args),
        Command::Bench(args) => bench::run(&args),
    }
}

impl BuildArgs {
    fn to_options(&self) -> Result<build::BuildOptions> {
        Ok(build::BuildOptions {
            input: self.input.clone(),
            link: self.link.mode(),
            wpo: build::optimizations(self.link.mode(), self.wpo)?,
            jobs: self.jobs,
            max_threads: self.max_threads,
            preinit: self.preinit.args(),
            embed: self.embed.clone(),
        })
    }
}
