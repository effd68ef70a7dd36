//! `wasmlink build`: choose the output, resolve the input, then run the
//! library's build sequence with a progress bar, and say what was built.

use super::diag::{self, Summary};
use super::progress::Progress;
use anyhow::{bail, Context, Result};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::time::Instant;
use wasmlink::{
    build_executable, thread_count, BuildError, Destination, LinkMode, Linker, LoadOptions,
    Optimizations, ResolvedGraph, Symbols, MAX_THREADS,
};

pub struct BuildOptions {
    pub input: PathBuf,
    pub link: LinkMode,
    /// Whole-program optimisations (`--wpo`; static link only).
    pub wpo: Optimizations,
    pub jobs: Option<usize>,
    /// Replaces the manifest's `wasi.max_threads` (`--max-threads`).
    pub max_threads: Option<u32>,
    /// Pre-initialisation asked for on the command line.
    pub preinit: PreinitArgs,
    /// `--linker`, else `$CC`, else `cc`.
    pub linker: Linker,
    /// `-g` keeps the symbol table, with Wasm names; `-s` (the default)
    /// strips it.
    pub symbols: Symbols,
    /// `--quiet`: no progress bar (and, for `build`, no summary line).
    pub quiet: bool,
    /// Files and directories to embed (`--embed HOST[::GUEST]`): guest
    /// path, host path.
    pub embed: Vec<(String, PathBuf)>,
}

/// `--preinit` and `--preinit-export NAME` (which implies `--preinit`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PreinitArgs {
    pub on: bool,
    pub export: Option<String>,
}

impl BuildOptions {
    /// How the input is loaded for these options.
    pub fn load_options(&self) -> LoadOptions {
        LoadOptions {
            max_threads: self.max_threads,
            preinit: self.preinit.on,
            preinit_export: self.preinit.export.clone(),
            embed: self.embed.clone(),
            ..LoadOptions::default()
        }
    }
}

/// Load and resolve the graph rooted at `input`.
pub fn load(input: &Path, options: &LoadOptions) -> Result<ResolvedGraph> {
    Ok(wasmlink_graph::load_graph(input, options)?)
}

/// Parse `--wpo LIST` (see [`Optimizations`]'s `FromStr`).
pub fn parse_wpo(text: &str) -> Result<Optimizations, String> {
    text.parse()
}

/// The optimisations a build uses: `--wpo` if given (only with a static
/// link: a dynamic link uses none, by definition), else all for a static
/// link.
pub fn optimizations(link: LinkMode, wpo: Option<Optimizations>) -> Result<Optimizations> {
    match (link, wpo) {
        (LinkMode::Static, wpo) => Ok(wpo.unwrap_or(Optimizations::ALL)),
        (LinkMode::Dynamic, None | Some(Optimizations::NONE)) => Ok(Optimizations::NONE),
        (LinkMode::Dynamic, Some(_)) => anyhow::bail!(
            "--wpo needs --link static: a dynamic link does what a runtime does and uses no whole-program optimisation"
        ),
    }
}

/// Parse `-j N`: a number from 1 to [`MAX_THREADS`].
pub fn parse_jobs(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n @ 1..=MAX_THREADS) => Ok(n),
        _ => Err(format!(
            "expected a number of threads from 1 to {MAX_THREADS}"
        )),
    }
}

/// Parse `--embed HOST[::GUEST]` (as `--dir` is spelt): the guest path
/// defaults to HOST as written.
pub fn parse_embed(text: &str) -> Result<(String, PathBuf), String> {
    let (host, guest) = text.split_once("::").unwrap_or((text, text));
    if host.is_empty() || guest.is_empty() {
        return Err("expected HOST or HOST::GUEST, neither empty".into());
    }
    Ok((guest.to_string(), PathBuf::from(host)))
}

/// Parse `--max-threads N`: a number from 0 to `MAX_THREADS_LIMIT`.
pub fn parse_max_threads(text: &str) -> Result<u32, String> {
    let limit = wasmlink_graph::MAX_THREADS_LIMIT;
    match text.parse::<u32>() {
        Ok(n) if n <= limit => Ok(n),
        _ => Err(format!("expected a number of threads from 0 to {limit}")),
    }
}

/// The executable `build` writes: `-o PATH` if given, else the input's
/// name without its extension, in the working directory, as `cc` writes
/// `a.out` and `rustc main.rs` writes `main` (`app.json` → `app`,
/// `lib/x.wasm` → `x`). `-o -` is refused: an executable is a file to
/// run, not a stream (`-o /dev/stdout` writes one there all the same; a
/// file named `-` is `-o ./-`). So is a default name that is the input
/// itself (an input `x` with no extension), rather than overwrite it.
pub fn output_path(input: &Path, output: Option<&Path>) -> Result<PathBuf> {
    if let Some(output) = output {
        if output.as_os_str() == "-" {
            bail!(
                "-o -: wasmlink cannot write an executable to standard output; give a file path \
                 (-o ./- for a file named `-`, -o /dev/stdout to write it there anyway)"
            );
        }
        return Ok(output.to_path_buf());
    }
    let stem = input
        .file_stem()
        .filter(|s| !s.is_empty() && *s != OsStr::new(".") && *s != OsStr::new(".."))
        .with_context(|| {
            format!(
                "no -o given and no output name can be made from the input {}; give -o PATH",
                input.display()
            )
        })?;
    let default = PathBuf::from(stem);
    if same_file(&default, input) {
        bail!(
            "no -o given, and the default output name `{}` (the input's name without its extension) is the input itself; give -o PATH",
            default.display()
        );
    }
    Ok(default)
}

/// Whether `a` and `b` name the same existing file (by device and inode,
/// so also through symlinks and hard links), or the same path.
fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
        _ => a == b,
    }
}

/// Build `options.input` into the executable `output` and print the
/// summary line (unless `--quiet`).
pub fn build(options: &BuildOptions, output: &Path) -> Result<()> {
    let started = Instant::now();
    let resolved = load(&options.input, &options.load_options())?;
    build_resolved(&resolved, options, output, &output.display())?;
    if !options.quiet {
        let bytes = std::fs::metadata(output)
            .ok()
            .filter(|m| m.is_file())
            .map(|m| m.len());
        diag::finished(&Summary {
            output,
            functions: wasm_functions(&resolved),
            bytes,
            elapsed: started.elapsed(),
        });
    }
    Ok(())
}

/// How many Wasm functions a build of `resolved` compiles: the functions
/// each source defines (a source is compiled once, however many
/// instances it has).
fn wasm_functions(resolved: &ResolvedGraph) -> usize {
    let graph = &resolved.graph;
    graph
        .sources
        .iter()
        .enumerate()
        .filter(|&(s, _)| graph.instances.iter().any(|i| i.source == s))
        .map(|(_, s)| s.module.funcs.len() - s.module.num_imported_funcs as usize)
        .sum()
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
    let destination = Destination::check(output, &resolved.input_files)?;
    let progress = Progress::new(options.quiet, options.linker.text());
    let tick = |total: usize| progress.tick(total);
    let phase = |phase| progress.phase(phase);
    let build_options = wasmlink::BuildOptions {
        link: options.link,
        wpo: options.wpo,
        harness: false,
        threads: Some(thread_count(options.jobs, graph)),
        progress: Some(&tick),
        phase: Some(&phase),
        linker: Some(&options.linker),
        symbols: options.symbols,
        preinit: resolved.preinit.as_ref(),
    };
    let result = build_executable(graph, &build_options, &destination);
    progress.finish();
    match result {
        Err(BuildError::Link(e)) => Err(e).with_context(|| format!("linking {shown}")),
        Err(BuildError::Preinit { message }) => Err(anyhow::anyhow!(
            "cannot pre-initialise {}: {message}",
            options.input.display()
        )),
        other => other.map(drop).map_err(Into::into),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_output_is_the_input_without_its_extension() {
        let out = |input: &str| output_path(Path::new(input), None).map_err(|e| e.to_string());
        assert_eq!(out("app.json"), Ok(PathBuf::from("app")));
        assert_eq!(out("lib/x.wasm"), Ok(PathBuf::from("x")));
        assert_eq!(out("dir/x.tar.wat"), Ok(PathBuf::from("x.tar")));
        assert!(out("/").unwrap_err().contains("give -o"));
        assert!(out("..").unwrap_err().contains("give -o"));
        // Not a file here, but the same path: still refused.
        assert!(out("no-such-input")
            .unwrap_err()
            .contains("is the input itself"));
        let given = output_path(Path::new("a.wasm"), Some(Path::new("b")));
        assert_eq!(given.ok(), Some(PathBuf::from("b")));
        let dash = output_path(Path::new("a.wasm"), Some(Path::new("-")));
        assert!(dash.unwrap_err().to_string().contains("standard output"));
    }

    #[test]
    fn max_threads_must_be_between_0_and_4096() {
        assert_eq!(parse_max_threads("0"), Ok(0));
        assert_eq!(parse_max_threads("4096"), Ok(4096));
        for bad in ["4097", "-1", "", "x"] {
            assert!(parse_max_threads(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn embed_is_host_then_guest() {
        assert_eq!(
            parse_embed("assets::/usr/share/tool"),
            Ok(("/usr/share/tool".into(), PathBuf::from("assets")))
        );
        assert_eq!(
            parse_embed("data"),
            Ok(("data".into(), PathBuf::from("data")))
        );
        for bad in ["", "::/x", "x::"] {
            assert!(parse_embed(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn jobs_must_be_between_1_and_1024() {
        assert_eq!(parse_jobs("1"), Ok(1));
        assert_eq!(parse_jobs("1024"), Ok(1024));
        for bad in ["0", "1025", "100000", "-1", "two", ""] {
            assert!(parse_jobs(bad).is_err(), "{bad}");
        }
    }
}
