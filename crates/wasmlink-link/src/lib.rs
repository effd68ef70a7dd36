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
    #[error("could not write {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "could not run the C compiler `{cc}` to link: {source} (set CC to a working compiler)"
    )]
    NoCompiler { cc: String, source: std::io::Error },
    #[error("the system linker failed ({cc}):\n{stderr}")]
    Failed { cc: String, stderr: String },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> LinkError + '_ {
    move |source| LinkError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The C compiler driver used for linking.
pub fn c_compiler() -> String {
    std::env::var("CC").unwrap_or_else(|_| "cc".to_string())
}

/// Link `object` (an ELF relocatable object) with the runtime into the
/// executable `output`.
pub fn link_executable(object: &[u8], output: &Path) -> Result<(), LinkError> {
    let work = tempfile::tempdir().map_err(io(Path::new("temporary directory")))?;
    let obj_path = work.path().join("program.o");
    std::fs::write(&obj_path, object).map_err(io(&obj_path))?;
    let lib_path = work.path().join("libwasmlink_runtime.a");
    std::fs::write(&lib_path, RUNTIME_LIBRARY).map_err(io(&lib_path))?;

    let dir = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let staged = tempfile::Builder::new()
        .prefix(".wasmlink-")
        .tempfile_in(&dir)
        .map_err(io(&dir))?
        .into_temp_path();

    let cc = c_compiler();
    let result = Command::new(&cc)
        .arg("-o")
        .arg(&*staged)
        .arg(&obj_path)
        .arg(&lib_path)
        .args(["-Wl,--gc-sections", "-s", "-lpthread", "-ldl", "-lm"])
        .output()
        .map_err(|source| LinkError::NoCompiler {
            cc: cc.clone(),
            source,
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
        source: e.error,
    })?;
    Ok(())
}
