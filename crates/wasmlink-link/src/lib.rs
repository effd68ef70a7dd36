//! The link stage. It owns producing the executable: the runtime static
//! library (built from `runtime/` and embedded in this crate at build time)
//! and an object from the emit stage are linked by the system C compiler
//! driver (`cc`, or `$CC`). Output appears atomically: it is linked to a
//! temporary file beside the destination and renamed, so a failed link never
//! leaves a partial executable.

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
    #[error("could not run the C compiler `{cc}` to link: {error} (set CC to a working compiler)")]
    NoCompiler { cc: String, error: std::io::Error },
    #[error("the output directory {} does not exist", dir.display())]
    NoOutputDir { dir: PathBuf },
    #[error("the system linker failed ({cc}):\n{stderr}")]
    Failed { cc: String, stderr: String },
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

/// The C compiler driver used for linking.
pub fn c_compiler() -> String {
    std::env::var("CC").unwrap_or_else(|_| "cc".to_string())
}

/// Link `object` (an ELF relocatable object) with the runtime into the
/// executable `output`, using [`c_compiler`].
pub fn link_executable(object: &[u8], output: &Path) -> Result<(), LinkError> {
    link_executable_with(&c_compiler(), object, output)
}

/// [`link_executable`] with an explicit C compiler driver.
pub fn link_executable_with(cc: &str, object: &[u8], output: &Path) -> Result<(), LinkError> {
    let work = tempfile::tempdir().map_err(io(Path::new("temporary directory")))?;
    let obj_path = work.path().join("program.o");
    std::fs::write(&obj_path, object).map_err(io(&obj_path))?;
    let lib_path = work.path().join("libwasmlink_runtime.a");
    std::fs::write(&lib_path, RUNTIME_LIBRARY).map_err(io(&lib_path))?;

    let dir = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        return Err(LinkError::NoOutputDir { dir });
    }
    let staged = tempfile::Builder::new()
        .prefix(".wasmlink-")
        .tempfile_in(&dir)
        .map_err(io(&dir))?
        .into_temp_path();

    let cc = cc.to_string();
    let result = Command::new(&cc)
        .arg("-o")
        .arg(&*staged)
        .arg(&obj_path)
        .arg(&lib_path)
        .args(["-Wl,--gc-sections", "-s", "-lpthread", "-ldl", "-lm"])
        .output()
        .map_err(|error| LinkError::NoCompiler {
            cc: cc.clone(),
            error,
        })?;
    if !result.status.success() {
        return Err(LinkError::Failed {
            cc,
            stderr: String::from_utf8_lossy(&result.stderr).into_owned(),
        });
    }
    // The staging file was created 0600; an executable is 0755.
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&*staged, std::fs::Permissions::from_mode(0o755))
            .map_err(io(output))?;
    }
    staged.persist(output).map_err(|e| LinkError::Io {
        path: output.to_path_buf(),
        error: plain(e.error),
    })?;
    Ok(())
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
        let err = link_executable_with("/nonexistent/cc", b"", &out).expect_err("no compiler");
        assert!(err.to_string().contains("/nonexistent/cc"), "{err}");
        assert!(!out.exists());
    }
}
