//! The variants `wasmlink bench` compares, which of them a run includes,
//! and how the wasmlink and native ones are built.

use super::measure::{describe_status, run_child, stderr_file, tail, time_here, Timing};
use crate::cli::build::{build_resolved, BuildOptions};
use anyhow::{bail, Context, Result};
use clap::ValueEnum;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use wasmlink::{LinkMode, Optimizations, ResolvedGraph};

/// One way of building and running the program.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Kind {
    /// `--link static` with every whole-program optimisation.
    Static,
    /// `--link static --wpo none`.
    StaticNoWpo,
    /// `--link dynamic`.
    Dynamic,
    /// `wasmtime run` of the same graph, compiled ahead of time.
    Wasmtime,
    /// The `--native` C source built with `clang -O2` (clang-14 or clang).
    Clang,
    /// The `--native` C source built with `cc -O2`.
    Cc,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Static => "static",
            Kind::StaticNoWpo => "static-no-wpo",
            Kind::Dynamic => "dynamic",
            Kind::Wasmtime => "wasmtime",
            Kind::Clang => "clang",
            Kind::Cc => "cc",
        }
    }

    /// How a wasmlink variant links, `None` for the others.
    pub fn wasmlink_build(self) -> Option<(LinkMode, Optimizations)> {
        match self {
            Kind::Static => Some((LinkMode::Static, Optimizations::ALL)),
            Kind::StaticNoWpo => Some((LinkMode::Static, Optimizations::NONE)),
            Kind::Dynamic => Some((LinkMode::Dynamic, Optimizations::NONE)),
            Kind::Wasmtime | Kind::Clang | Kind::Cc => None,
        }
    }
}

/// Which variants to run and which of them were asked for by name (those
/// may not be left out).
pub struct Selection {
    pub kinds: Vec<Kind>,
    pub wasmtime_required: bool,
}

/// The variants of this run: `--variants` if given (in that order,
/// duplicates dropped), else the three wasmlink builds, wasmtime when
/// `have_wasmtime`, and clang and cc when `native` is given.
pub fn select(
    listed: Option<&[Kind]>,
    native: bool,
    wasmtime_given: bool,
    have_wasmtime: bool,
) -> Result<Selection> {
    let Some(listed) = listed else {
        let mut kinds = vec![Kind::Static, Kind::StaticNoWpo, Kind::Dynamic];
        if have_wasmtime {
            kinds.push(Kind::Wasmtime);
        }
        if native {
            kinds.extend([Kind::Clang, Kind::Cc]);
        }
        return Ok(Selection {
            kinds,
            wasmtime_required: wasmtime_given,
        });
    };
    let mut kinds: Vec<Kind> = Vec::new();
    for &k in listed {
        if !kinds.contains(&k) {
            kinds.push(k);
        }
    }
    let natives = kinds.iter().any(|k| matches!(k, Kind::Clang | Kind::Cc));
    if natives && !native {
        bail!("--variants clang and cc need --native SRC.c");
    }
    if native && !natives {
        bail!("--native is given but --variants lists neither clang nor cc");
    }
    let wants_wasmtime = kinds.contains(&Kind::Wasmtime);
    if wasmtime_given && !wants_wasmtime {
        bail!("--wasmtime is given but --variants does not list wasmtime");
    }
    if wants_wasmtime && !have_wasmtime {
        bail!("--variants lists wasmtime, but there is no wasmtime on PATH (give one with --wasmtime PATH)");
    }
    Ok(Selection {
        kinds,
        wasmtime_required: wants_wasmtime,
    })
}

/// A variant ready to run.
pub struct Variant {
    pub kind: Kind,
    /// The program and its arguments, the user's included.
    pub argv: Vec<OsString>,
    /// How long building it took (for wasmtime: compiling every module).
    pub build: Timing,
    /// Bytes of what it runs: the executable, or wasmtime's compiled
    /// modules.
    pub size: u64,
}

/// The first `name` on PATH that is a file.
pub fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// clang for the `clang` variant: clang-14, else clang.
pub fn find_clang() -> Result<PathBuf> {
    which("clang-14")
        .or_else(|| which("clang"))
        .context("the clang variant needs clang-14 or clang on PATH; neither is there (leave it out with --variants)")
}

/// Build a wasmlink variant of `resolved` (read from `input`) into `exe`
/// with `jobs` compiler threads (default: one per core).
pub fn build_wasmlink(
    resolved: &ResolvedGraph,
    input: &Path,
    kind: Kind,
    jobs: Option<usize>,
    exe: &Path,
) -> Result<Timing> {
    let Some((link, wpo)) = kind.wasmlink_build() else {
        bail!("{} is not built by wasmlink", kind.name());
    };
    let options = BuildOptions {
        input: input.to_path_buf(),
        link,
        wpo,
        jobs,
        max_threads: None,
        preinit: Default::default(),
        // The build of every variant is timed: with the same linker.
        linker: wasmlink::Linker::from_env()?,
        symbols: Default::default(),
        quiet: false,
        embed: Vec::new(),
    };
    let shown = format!("the {} variant", kind.name());
    let ((), timing) = time_here(|| build_resolved(resolved, &options, exe, &shown))
        .with_context(|| format!("building the {} variant", kind.name()))?;
    Ok(timing)
}

/// Compile the C source `src` with `compiler -O2 … -lm` into `exe`.
pub fn build_native(compiler: &Path, src: &Path, exe: &Path, scratch: &Path) -> Result<Timing> {
    let argv: Vec<OsString> = vec![
        compiler.into(),
        "-O2".into(),
        src.into(),
        "-o".into(),
        exe.into(),
        "-lm".into(),
    ];
    let err_path = scratch.join("native.stderr");
    let (err, mut err_read) = stderr_file(&err_path)?;
    let done = run_child(&argv, &argv[0], &[], Stdio::null(), err)?;
    if !done.status.success() {
        bail!(
            "{} -O2 could not compile {} ({}):\n{}",
            compiler.display(),
            src.display(),
            describe_status(done.status),
            tail(&mut err_read)
        );
    }
    Ok(done.timing)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_the_tools_and_options() {
        let s = select(None, false, false, false).expect("defaults");
        assert_eq!(s.kinds, [Kind::Static, Kind::StaticNoWpo, Kind::Dynamic]);
        let s = select(None, true, true, true).expect("defaults");
        assert_eq!(
            s.kinds,
            [
                Kind::Static,
                Kind::StaticNoWpo,
                Kind::Dynamic,
                Kind::Wasmtime,
                Kind::Clang,
                Kind::Cc
            ]
        );
        assert!(s.wasmtime_required, "--wasmtime makes the variant required");
        assert!(
            !select(None, false, false, true)
                .expect("defaults")
                .wasmtime_required
        );
    }

    #[test]
    fn a_listed_variant_needs_what_it_runs() {
        let list = [Kind::Dynamic, Kind::Wasmtime, Kind::Dynamic];
        let s = select(Some(&list), false, false, true).expect("listed");
        assert_eq!(s.kinds, [Kind::Dynamic, Kind::Wasmtime]);
        assert!(s.wasmtime_required);
        let err = |list: &[Kind], native, given, have| {
            select(Some(list), native, given, have)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default()
        };
        assert!(err(&[Kind::Cc], false, false, false).contains("need --native"));
        assert!(err(&[Kind::Static], true, false, false).contains("neither clang nor cc"));
        assert!(err(&[Kind::Static], false, true, true).contains("does not list wasmtime"));
        assert!(err(&[Kind::Wasmtime], false, false, false).contains("no wasmtime on PATH"));
    }
}
