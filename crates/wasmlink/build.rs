//! Records which commit the `wasmlink` binary is built from, for
//! `wasmlink --version`: `WASMLINK_COMMIT_INFO` is `HASH DATE` (the
//! abbreviated commit hash and its commit date) when the source is a git
//! checkout and `git` runs, else `unknown` (a source tarball, a crate
//! unpacked by `cargo install`). A packager who builds from a tarball of a
//! known commit can say which with `WASMLINK_COMMIT_INFO=…` in the
//! environment. Nothing here fails the build.

use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=WASMLINK_COMMIT_INFO");
    let info = match std::env::var("WASMLINK_COMMIT_INFO") {
        Ok(given) if !given.trim().is_empty() => given.trim().to_string(),
        _ => from_git().unwrap_or_else(|| "unknown".to_string()),
    };
    println!("cargo:rustc-env=WASMLINK_COMMIT_INFO={info}");
}

/// `git` run in this crate's folder, its trimmed stdout if it succeeds.
fn git(args: &[&str]) -> Option<String> {
    let dir = std::env::var_os("CARGO_MANIFEST_DIR")?;
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    (out.status.success() && !text.trim().is_empty()).then(|| text.trim().to_string())
}

fn from_git() -> Option<String> {
    // Only wasmlink's own repository: a source tarball unpacked inside
    // some other checkout must not report that checkout's commit.
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")?;
    let workspace = Path::new(&manifest_dir).join("../..").canonicalize().ok()?;
    let top = git(&["rev-parse", "--show-toplevel"])?;
    if Path::new(&top).canonicalize().ok()? != workspace {
        return None;
    }
    let hash = git(&["rev-parse", "--short=12", "HEAD"])?;
    let date = git(&["log", "-1", "--format=%cs", "HEAD"])?;
    // Run again when HEAD moves: a commit, a checkout or a rebase changes
    // HEAD itself or the branch it points at (possibly packed). In a
    // worktree these live in different folders, which `--git-path` knows.
    let mut watched = vec!["HEAD".to_string(), "packed-refs".to_string()];
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
        watched.push(branch);
    }
    for name in watched {
        if let Some(path) = git(&["rev-parse", "--git-path", &name]) {
            let path = Path::new(&manifest_dir).join(path);
            if path.exists() {
                println!("cargo:rerun-if-changed={}", path.display());
            }
        }
    }
    Some(format!("{hash} {date}"))
}
