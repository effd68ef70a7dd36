//! `wasmlink`: the command-line front end. It parses arguments, calls the
//! library (`wasmlink::pipeline`, `wasmlink::wast`) and reports errors
//! (`cli::diag`); the subcommands live in [`cli`].

mod cli;

use cli::diag::{self, ColorChoice, MessageFormat};
use cli::{bench, build, disas, generate, run, wast};

use anyhow::Result;
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

/// `wasmlink 0.1.0 (0123456789ab 2026-12-03)`: the version and the git
/// commit it was built from (`build.rs`; `unknown` outside a checkout).
const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (",
    env!("WASMLINK_COMMIT_INFO"),
    ")"
);

const EXAMPLES: &str = "\
Examples:
  wasmlink build app.json                 build ./app from a manifest
  wasmlink build main.wasm -o tool        build ./tool from one module
  wasmlink run main.wat -- a b            build (cached) and run with arguments a b
  wasmlink graph app.json --format dot    the resolved graph, for Graphviz
  wasmlink build -g app.json && perf record ./app
                                          profile with Wasm function names
  CC=\"clang -fuse-ld=lld\" wasmlink build app.json
                                          link with another C compiler driver
  wasmlink build --message-format json app.json
                                          errors as JSON lines on stderr
  wasmlink completions bash > ~/.local/share/bash-completion/completions/wasmlink
  wasmlink man > wasmlink.1";

#[derive(Parser)]
#[command(
    name = "wasmlink",
    version = VERSION,
    propagate_version = true,
    about = "Link a WebAssembly module graph into one native executable",
    after_help = EXAMPLES
)]
struct Cli {
    /// How errors and the summary line are printed: human, or json (one
    /// JSON object per line, on stderr).
    #[arg(
        long,
        value_enum,
        global = true,
        default_value = "human",
        value_name = "FORMAT"
    )]
    message_format: MessageFormat,
    /// Colour in messages: auto (stderr is a terminal and NO_COLOR is
    /// unset), always or never.
    #[arg(
        long,
        value_enum,
        global = true,
        default_value = "auto",
        value_name = "WHEN"
    )]
    color: ColorChoice,
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
    /// Pack host file or directory HOST into the executable as a read-only
    /// preopened directory GUEST (default: the same path), after the
    /// manifest's `wasi.embed`.
    #[arg(long = "embed", value_name = "HOST[::GUEST]", value_parser = build::parse_embed)]
    embed: Vec<(String, PathBuf)>,
    #[command(flatten)]
    preinit: PreinitFlags,
    #[command(flatten)]
    linking: LinkFlags,
}

/// How `build` and `run` link.
#[derive(clap::Args, Clone, Debug, Default)]
struct LinkFlags {
    /// The C compiler driver that links, with its flags (split as a shell
    /// would: --linker "clang -fuse-ld=lld"); default: $CC, else cc.
    #[arg(long, value_name = "CMD")]
    linker: Option<String>,
    /// Strip the symbol table (the default; as cc -s).
    #[arg(short = 's', long)]
    strip: bool,
    /// Keep the symbol table, with every Wasm function named
    /// `source::function`, for perf, gdb and nm.
    #[arg(short = 'g', conflicts_with = "strip")]
    debug: bool,
}

impl LinkFlags {
    fn linker(&self) -> Result<wasmlink::Linker> {
        Ok(wasmlink::Linker::choose(self.linker.as_deref())?)
    }

    fn symbols(&self) -> wasmlink::Symbols {
        if self.debug {
            wasmlink::Symbols::Keep
        } else {
            wasmlink::Symbols::Strip
        }
    }
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
        /// Path of the executable to write (default: the input's name
        /// without its extension, in the working directory: app.json → app).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Print no progress bar and no summary line.
        #[arg(short, long)]
        quiet: bool,
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
        #[command(flatten)]
        linking: LinkFlags,
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
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions { shell: clap_complete::Shell },
    /// Print the manual page (roff), of wasmlink or of one subcommand.
    Man {
        /// A subcommand (build, run, …); default: wasmlink itself.
        subcommand: Option<String>,
    },
}

fn main() -> ExitCode {
    let cli = match parse() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    diag::init(cli.message_format, cli.color);
    // A build interrupted by SIGINT, SIGTERM or SIGHUP removes its
    // temporary files and stops the C compiler before dying of the signal.
    // This must happen before any other thread starts.
    if matches!(
        cli.command,
        Command::Build { .. } | Command::Run { .. } | Command::Bench(_)
    ) {
        if let Err(e) = wasmlink_link::interrupt::install() {
            diag::error_message(&format!("could not watch for interruptions: {e}"));
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
            diag::error(&e);
            ExitCode::FAILURE
        }
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            diag::error_message(&format!(
                "internal error: {message} (this is a wasmlink bug)"
            ));
            ExitCode::FAILURE
        }
    }
}

/// Parse the command line. `--color` and `--message-format` also apply
/// to clap's own output, so they are looked for before clap parses: a
/// usage error is then coloured as asked, or is a JSON line.
fn parse() -> Result<Cli, ExitCode> {
    let args: Vec<OsString> = std::env::args_os().collect();
    let (format, color) = generate::early_settings(&args);
    let matches = Cli::command()
        .color(color.clap())
        .try_get_matches_from(&args);
    match matches.and_then(|m| Cli::from_arg_matches(&m)) {
        Ok(cli) => Ok(cli),
        Err(e) if format == MessageFormat::Json && e.use_stderr() => {
            diag::init(format, color);
            let text = e.render().to_string();
            let text = text.trim_end();
            diag::error_message(text.strip_prefix("error: ").unwrap_or(text));
            Err(ExitCode::from(e.exit_code().clamp(0, 255) as u8))
        }
        Err(e) => {
            let code = e.exit_code().clamp(0, 255) as u8;
            // Help and --version go to stdout; nothing to add if that fails.
            let _ = e.print();
            Err(ExitCode::from(code))
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Build {
            build,
            output,
            quiet,
        } => {
            let output = build::output_path(&build.input, output.as_deref())?;
            build::build(&build.to_options(quiet)?, &output)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Run {
            link,
            wpo,
            jobs,
            max_threads,
            preinit,
            linking,
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
                    linker: linking.linker()?,
                    symbols: linking.symbols(),
                    // `run` prints only what the program prints (and a
                    // progress bar while it builds, on a terminal).
                    quiet: false,
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
        Command::Completions { shell } => generate::completions(shell, Cli::command()),
        Command::Man { subcommand } => generate::man(Cli::command(), subcommand.as_deref()),
    }
}

impl BuildArgs {
    fn to_options(&self, quiet: bool) -> Result<build::BuildOptions> {
        Ok(build::BuildOptions {
            input: self.input.clone(),
            link: self.link.mode(),
            wpo: build::optimizations(self.link.mode(), self.wpo)?,
            jobs: self.jobs,
            max_threads: self.max_threads,
            preinit: self.preinit.args(),
            linker: self.linking.linker()?,
            symbols: self.linking.symbols(),
            quiet,
            embed: self.embed.clone(),
        })
    }
}
