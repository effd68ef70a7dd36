//! `wasmlink build`: resolve the input, then run the library's build
//! sequence with a progress bar.

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use wasmlink::{
    build_executable, thread_count, BuildError, Destination, LinkMode, LoadOptions, Optimizations,
    ResolvedGraph, MAX_THREADS,
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

/// Build `options.input` into the executable `output`.
pub fn build(options: &BuildOptions, output: &Path) -> Result<()> {
    let resolved = load(&options.input, &options.load_options())?;
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
    let destination = Destination::check(output, &resolved.input_files)?;
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
    let build_options = wasmlink::BuildOptions {
        link: options.link,
        wpo: options.wpo,
        harness: false,
        threads: Some(thread_count(options.jobs, graph)),
        progress: Some(&tick),
        preinit: resolved.preinit.as_ref(),
    };
    let result = build_executable(graph, &build_options, &destination);
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
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
