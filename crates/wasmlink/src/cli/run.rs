//! `wasmlink run`: build (or take from the cache) and run, with wasmtime's
//! run flags.
//!
//! `--dir`, `--env`, `--argv0` and the `-S` network options
//! (`inherit-network`, `allow-ip-name-lookup`) are handed to the executable through
//! `WASMLINK_FLAGS`, appended after any `WASMLINK_FLAGS` the caller already
//! set, so they take precedence over it and over the manifest's `wasi`
//! settings, and a cached executable serves every combination of them.
//! `--invoke NAME` makes export NAME of the entry instance the entry; its
//! arguments follow the input on the command line and its results are
//! printed, as `wasmtime run --invoke` does.

use super::build::{build_resolved, load, BuildOptions};
use super::cache::{self, EntryInfo, InputFile};
use anyhow::{bail, Context, Result};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use wasmlink_graph::LoadOptions;

pub struct RunOptions {
    pub build: BuildOptions,
    /// `HOST[::GUEST]` directories to preopen.
    pub dirs: Vec<String>,
    /// `NAME[=VALUE]` variables to set.
    pub envs: Vec<String>,
    pub argv0: Option<String>,
    /// The `-S` options, parsed.
    pub wasi: WasiOptions,
    pub invoke: Option<String>,
    pub no_cache: bool,
    pub args: Vec<OsString>,
}

/// The `-S` options `wasmlink run` understands: unset ones leave the
/// manifest's setting alone.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WasiOptions {
    pub inherit_network: Option<bool>,
    pub allow_ip_name_lookup: Option<bool>,
}

/// Parse `-S KEY[=VAL][,KEY[=VAL]…]` values, with wasmtime's names and
/// boolean spellings.
pub fn parse_wasi_options(values: &[String]) -> Result<WasiOptions> {
    let mut out = WasiOptions::default();
    for item in values.iter().flat_map(|v| v.split(',')) {
        let (key, value) = match item.split_once('=') {
            Some((k, v)) => (k, Some(v)),
            None => (item, None),
        };
        let on = match value {
            None | Some("y" | "yes" | "true") => true,
            Some("n" | "no" | "false") => false,
            Some(v) => bail!("-S {key}: `{v}` is not y, yes, true, n, no or false"),
        };
        match key {
            "inherit-network" => out.inherit_network = Some(on),
            "allow-ip-name-lookup" => out.allow_ip_name_lookup = Some(on),
            "" => bail!("-S needs an option name (inherit-network or allow-ip-name-lookup)"),
            other => bail!(
                "-S {other}: not an option wasmlink run supports (inherit-network, allow-ip-name-lookup)"
            ),
        }
    }
    Ok(out)
}

/// Quote one word for `WASMLINK_FLAGS` (shell-style single quotes).
fn shell_quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:=,+@%".contains(&b));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

impl RunOptions {
    /// The run-time flags these options ask for, as `WASMLINK_FLAGS` words.
    fn runtime_flags(&self) -> Vec<String> {
        let mut words = Vec::new();
        for d in &self.dirs {
            words.push("--dir".to_string());
            words.push(shell_quote(d));
        }
        for e in &self.envs {
            words.push("--env".to_string());
            words.push(shell_quote(e));
        }
        if let Some(a) = &self.argv0 {
            words.push("--argv0".to_string());
            words.push(shell_quote(a));
        }
        let switches = [
            ("--inherit-network", self.wasi.inherit_network),
            ("--allow-ip-name-lookup", self.wasi.allow_ip_name_lookup),
        ];
        for (flag, value) in switches {
            if let Some(on) = value {
                words.push(format!("{flag}={}", if on { "y" } else { "n" }));
            }
        }
        words
    }

    /// How messages name what `wasmlink run` builds.
    fn shown(&self) -> String {
        format!("the program built from {}", self.build.input.display())
    }

    fn load_options(&self) -> LoadOptions {
        LoadOptions {
            invoke: self.invoke.clone(),
            ..self.build.load_options()
        }
    }
}

/// An executable ready to run, and whether it reads `WASMLINK_FLAGS`.
struct Ready {
    exe: PathBuf,
    runtime_flags: bool,
    /// A temporary build (`--no-cache`, or an input that changed while it
    /// was built): removed once the program has started.
    /// (A `TempDir` or a cache staging directory: held only to be dropped.)
    temp: Option<Box<dyn std::any::Any>>,
}

fn build_uncached(options: &RunOptions) -> Result<Ready> {
    let resolved = load(&options.build.input, &options.load_options())?;
    let dir = tempfile::tempdir().context("could not create a temporary directory")?;
    let exe = dir.path().join("program");
    build_resolved(&resolved, &options.build, &exe, &options.shown())?;
    Ok(Ready {
        exe,
        runtime_flags: resolved.graph.wasi.runtime_flags,
        temp: Some(Box::new(dir)),
    })
}

fn build_cached(options: &RunOptions, root: &Path) -> Result<Ready> {
    let input = &options.build.input;
    let key = cache::key(
        input,
        &[
            ("link", format!("{:?}", options.build.link)),
            ("wpo", options.build.wpo.to_string()),
            ("invoke", format!("{:?}", options.invoke)),
            ("max_threads", format!("{:?}", options.build.max_threads)),
            ("preinit", format!("{:?}", options.build.preinit)),
            // `-g` makes another file; the linker (`--linker`, `CC`) does
            // not change what the program does, so it is not part of the
            // key, as `CC` never was.
            ("symbols", format!("{:?}", options.build.symbols)),
        ],
    )?;
    if let Some(hit) = cache::lookup(root, &key) {
        return Ok(Ready {
            exe: hit.exe,
            runtime_flags: hit.info.runtime_flags,
            temp: None,
        });
    }
    let started = cache::build_start();
    let resolved = load(input, &options.load_options())?;
    let staging = cache::Staging::new(root)?;
    build_resolved(&resolved, &options.build, &staging.exe(), &options.shown())?;
    let runtime_flags = resolved.graph.wasi.runtime_flags;
    let inputs = resolved
        .input_files
        .iter()
        .map(|p| InputFile::record(p, started))
        .collect::<Result<Vec<_>>>()?;
    if inputs.iter().any(|f| f.changed_since(started)) {
        // An input changed while it was being built from: run what was
        // built, but do not vouch for it.
        let exe = staging.exe();
        return Ok(Ready {
            exe,
            runtime_flags,
            temp: Some(Box::new(staging)),
        });
    }
    let info = EntryInfo {
        inputs,
        runtime_flags,
    };
    let exe = staging.store(root, &key, &info)?;
    Ok(Ready {
        exe,
        runtime_flags,
        temp: None,
    })
}

/// Build (or reuse) and run; the exit status is the program's.
pub fn run(options: &RunOptions) -> Result<ExitCode> {
    let root = if options.no_cache {
        None
    } else {
        match cache::cache_root() {
            Some(r) => Some(r),
            None => {
                super::diag::warning(
                    "neither XDG_CACHE_HOME nor HOME is set: building without the cache",
                );
                None
            }
        }
    };
    let ready = match &root {
        Some(root) => build_cached(options, root)?,
        None => build_uncached(options)?,
    };
    let flags = options.runtime_flags();
    if !flags.is_empty() && !ready.runtime_flags {
        bail!(
            "--dir, --env, --argv0 and -S cannot be applied: {} switches run-time flags off (\"wasi\": {{ \"runtime_flags\": false }})",
            options.build.input.display()
        );
    }
    let mut cmd = Command::new(&ready.exe);
    // The program sees the input as its name, as under wasmtime.
    {
        use std::os::unix::process::CommandExt;
        cmd.arg0(&options.build.input);
    }
    cmd.args(&options.args);
    if !flags.is_empty() {
        let mut all = std::env::var("WASMLINK_FLAGS").unwrap_or_default();
        if !all.trim().is_empty() {
            all.push(' ');
        }
        all.push_str(&flags.join(" "));
        cmd.env("WASMLINK_FLAGS", all);
    }
    wasmlink_link::interrupt::start_unblocked(&mut cmd);
    let Some(temp) = ready.temp else {
        // Nothing to clean up afterwards: become the program, so signals,
        // the terminal and the exit status are exactly its own.
        use std::os::unix::process::CommandExt;
        let error = cmd.exec();
        return Err(error).with_context(|| format!("could not run {}", ready.exe.display()));
    };
    let mut child = cmd
        .spawn()
        .with_context(|| format!("could not run {}", ready.exe.display()))?;
    // The program has been exec'd (spawn returns after that): its file can
    // go now, so nothing is left behind however the program ends.
    drop(temp);
    let status = child
        .wait()
        .with_context(|| format!("could not wait for {}", ready.exe.display()))?;
    let code = match status.code() {
        Some(c) => c,
        None => {
            use std::os::unix::process::ExitStatusExt;
            128 + status.signal().unwrap_or(0)
        }
    };
    Ok(ExitCode::from(code as u8))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(shell_quote("a/b.c"), "a/b.c");
        assert_eq!(shell_quote("x::/data"), "x::/data");
        assert_eq!(shell_quote("A=b c"), "'A=b c'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
        assert_eq!(shell_quote(""), "''");
    }

    #[test]
    fn wasi_options() {
        let o = parse_wasi_options(&["inherit-network".into()]).unwrap();
        assert_eq!(o.inherit_network, Some(true));
        assert_eq!(o.allow_ip_name_lookup, None);
        let o = parse_wasi_options(&[
            "inherit-network=n,allow-ip-name-lookup".into(),
            "inherit-network=yes".into(),
        ])
        .unwrap();
        assert_eq!(o.inherit_network, Some(true), "the last one wins");
        assert_eq!(o.allow_ip_name_lookup, Some(true));
        let err = |v: &str| {
            parse_wasi_options(&[v.to_string()])
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            err("tcp"),
            "-S tcp: not an option wasmlink run supports (inherit-network, allow-ip-name-lookup)"
        );
        assert_eq!(
            err("inherit-network=maybe"),
            "-S inherit-network: `maybe` is not y, yes, true, n, no or false"
        );
        assert!(err("").starts_with("-S needs an option name"));
    }
}
