//! The link stage. It owns producing the executable: the runtime static
//! library (built from `runtime/` and embedded in this crate at build time)
//! and an object from the emit stage are linked by the system C compiler
//! driver ([`Linker`]: `--linker`, `$CC` or `cc`) inside a private
//! temporary directory, with or without a symbol table ([`Symbols`]), and the
//! result is put at its [`Destination`] by the rules of `output.rs`: a
//! regular output appears atomically (a failed link never leaves a partial
//! executable), a device or FIFO is written through.
//!
//! Everything a link creates or starts is registered (`cleanup.rs`), so an
//! interrupted build leaves nothing behind once [`interrupt::install`] has
//! been called.

mod cleanup;
pub mod interrupt;
mod linker;
mod output;

pub use cleanup::ScratchDir;
pub use linker::{Linker, LinkerOrigin, Symbols};
pub use output::Destination;

use cleanup::TempPath;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The runtime library linked into every executable.
pub static RUNTIME_LIBRARY: &[u8] =
    include_bytes!(concat!(env!("OUT_DIR"), "/libwasmlink_runtime.a"));

/// Why linking failed.
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    // The I/O error is part of the message, not a separate cause, so
    // reporters that print error chains do not say it twice.
    #[error("could not write {}: {error}", path.display())]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    /// `cc` is the command as messages show it, with where it came from.
    #[error("could not run the C compiler {cc} to link: {error} (set CC, or give --linker, to a working compiler)")]
    NoCompiler { cc: String, error: std::io::Error },
    #[error("{} is not a usable linker command: {problem}", linker_setting(*origin, command))]
    BadLinker {
        origin: LinkerOrigin,
        command: String,
        problem: String,
    },
    #[error("the output directory {} does not exist", dir.display())]
    NoOutputDir { dir: PathBuf },
    #[error("cannot write the executable to {}: {problem}", path.display())]
    BadOutput { path: PathBuf, problem: String },
    #[error("the output {} is the input file {}; choose another output path", output.display(), input.display())]
    OutputIsInput { output: PathBuf, input: PathBuf },
    #[error("the linker {cc} failed:\n{stderr}")]
    Failed { cc: String, stderr: String },
}

impl LinkError {
    /// The file the error is about (the output, or a file the link
    /// writes), for tools that want it without reading the message.
    pub fn path(&self) -> Option<&Path> {
        match self {
            LinkError::Io { path, .. } | LinkError::BadOutput { path, .. } => Some(path),
            LinkError::NoOutputDir { dir } => Some(dir),
            LinkError::OutputIsInput { output, .. } => Some(output),
            LinkError::NoCompiler { .. }
            | LinkError::BadLinker { .. }
            | LinkError::Failed { .. } => None,
        }
    }
}

/// `CC="…"` or `--linker "…"`: the setting as the user wrote it.
fn linker_setting(origin: LinkerOrigin, command: &str) -> String {
    match origin {
        LinkerOrigin::Option => format!("--linker {command:?}"),
        _ => format!("CC={command:?}"),
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> LinkError + '_ {
    move |error| LinkError::Io {
        path: path.to_path_buf(),
        error: plain(error),
    }
}

/// The OS error alone: tempfile's errors repeat the path, which the
/// message already names.
fn plain(error: std::io::Error) -> std::io::Error {
    match error.raw_os_error() {
        Some(code) => std::io::Error::from_raw_os_error(code),
        None => std::io::Error::from(error.kind()),
    }
}

/// Link `object` (an ELF relocatable object) with the runtime into the
/// executable `output`, using [`Linker::from_env`] and no symbol table.
pub fn link_executable(object: &[u8], output: &Path) -> Result<(), LinkError> {
    link_executable_with(&Linker::from_env()?, object, output)
}

/// [`link_executable`] with an explicit linker.
pub fn link_executable_with(
    linker: &Linker,
    object: &[u8],
    output: &Path,
) -> Result<(), LinkError> {
    link_to(
        linker,
        object,
        &Destination::check(output, &[])?,
        Symbols::Strip,
    )
}

/// Link `object` with the runtime into `destination` (checked against the
/// build's inputs), using `linker`, keeping or dropping the symbol table.
pub fn link_to(
    linker: &Linker,
    object: &[u8],
    destination: &Destination,
    symbols: Symbols,
) -> Result<(), LinkError> {
    link_with(linker, object, &[], destination, symbols)
}

/// [`link_to`], with more objects linked in from files (`extra`: the
/// assets object of a program's embedded files).
pub fn link_with(
    linker: &Linker,
    object: &[u8],
    extra: &[&Path],
    destination: &Destination,
    symbols: Symbols,
) -> Result<(), LinkError> {
    let ((), work) = TempPath::create(|| {
        let dir = tempfile::Builder::new()
            .prefix(".wasmlink-")
            .permissions(std::os::unix::fs::PermissionsExt::from_mode(0o700))
            .tempdir()?
            .keep();
        Ok(((), dir))
    })
    .map_err(io(Path::new("temporary directory")))?;
    let work_dir = work.path();
    let obj_path = work_dir.join("program.o");
    std::fs::write(&obj_path, object).map_err(io(&obj_path))?;
    let lib_path = work_dir.join("libwasmlink_runtime.a");
    std::fs::write(&lib_path, RUNTIME_LIBRARY).map_err(io(&lib_path))?;
    let exe_path = work_dir.join("app");

    let mut command = linker.command();
    command
        .arg("-o")
        .arg(&exe_path)
        .arg(&obj_path)
        .args(extra)
        .arg(&lib_path)
        // --gc-sections drops every function and data section nothing
        // reaches (the runtime keeps one section per function). The
        // runtime defines the one unwinder symbol that the cleanup paths
        // of Rust's precompiled `core` and `alloc` name (never run: it
        // aborts on a panic), so no unwinder is linked; -static-libgcc
        // keeps whatever else of libgcc a link needs inside the
        // executable rather than in libgcc_s.so, one shared library fewer
        // to load at every start (it cost 0.15 ms of a 1.1 ms start).
        .args([
            "-Wl,--gc-sections",
            "-static-libgcc",
            "-lpthread",
            "-ldl",
            "-lm",
        ]);
    // -s drops the symbol table (and with it the Wasm function names
    // the emit stage gave the symbols under -g).
    if symbols == Symbols::Strip {
        command.arg("-s");
    }
    command
        // The compiler's own temporary files go to the work directory too,
        // so removing it removes everything a link made.
        .env("TMPDIR", work_dir);
    let (status, stderr) =
        cleanup::run_registered(command).map_err(|error| LinkError::NoCompiler {
            cc: linker.shown(),
            error,
        })?;
    if !status.success() {
        return Err(LinkError::Failed {
            cc: linker.shown(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
        });
    }
    destination.install(&exe_path)
}

/// Run `program`, an executable a build just made (the snapshot program
/// of pre-initialisation), with `args`, in `dir`, with an empty
/// environment, stdin and stdout on `/dev/null`: registered like the C
/// compiler, so an interrupted build stops it. Returns its status and
/// (the first 64 KiB of) its stderr.
pub fn run_build_program(
    program: &Path,
    args: &[&std::ffi::OsStr],
    dir: &Path,
) -> std::io::Result<(std::process::ExitStatus, Vec<u8>)> {
    let mut command = Command::new(program);
    command.args(args).current_dir(dir).env_clear();
    cleanup::run_registered(command)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runtime_library_is_an_archive() {
        assert!(RUNTIME_LIBRARY.starts_with(b"!<arch>\n"));
    }

    #[test]
    fn a_failed_link_leaves_no_output() {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("app");
        let err = link_executable(b"not an object", &out).expect_err("garbage does not link");
        assert!(matches!(err, LinkError::Failed { .. }), "{err}");
        assert!(!out.exists());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).expect("list").collect();
        assert!(leftovers.is_empty(), "staging files left: {leftovers:?}");
    }

    #[test]
    fn a_missing_compiler_is_named() {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("app");
        let linker =
            Linker::parse("/nonexistent/cc -fuse-ld=lld", LinkerOrigin::Option).expect("a command");
        let err = link_executable_with(&linker, b"", &out).expect_err("no compiler");
        assert!(
            err.to_string()
                .contains("`/nonexistent/cc -fuse-ld=lld` (from --linker)"),
            "{err}"
        );
        assert!(!out.exists());
    }
}
