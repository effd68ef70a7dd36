//! Component twins: every case whose manifests use a preview1 test program
//! (`../../wasi/NAME.wasm`) runs a second time with that program replaced
//! by the same program as a WASI 0.2 command component
//! (`tests/wasi/components/NAME.component.wasm`, made with the official
//! preview1 adapter by `tests/wasi/build-components.sh`), and must give the
//! same output, the same stderr and the same status as the core build.
//!
//! Where the component legitimately differs, the case folder holds
//! `expected.component.stdout`, `.stderr` or `.status`, which take the
//! place of the core file of the same kind (the adapter maps an exit code
//! other than 0 and 1 to 1, because WASI 0.2's `exit` carries only ok or
//! err). `BLESS=1` writes those files, only where the twin differs.
//!
//! The twin runs from a copy of the case folder placed at
//! `{tmp}/graphs/<case>/`, next to a link `{tmp}/wasi` to `tests/wasi`, so
//! the manifests' relative paths keep their shape; output names the copy as
//! `{dir}`, as for the original.

use crate::blessing;
use crate::compare::{diff, read_expected};
use crate::run::{copy_tree, run_case, Outcome, RunFiles};
use std::fs;
use std::path::{Path, PathBuf};

const PREFIX: &str = "../../wasi/";

/// The preview1 programs a case's manifests name (`NAME` of
/// `../../wasi/NAME.wasm`), or none when the case has no such manifest or
/// a program has no component twin.
pub fn programs(case_dir: &Path, wasi_dir: &Path) -> Vec<String> {
    let mut names = Vec::new();
    for json in json_files(case_dir) {
        let Ok(text) = fs::read_to_string(&json) else {
            continue;
        };
        for (_, name) in program_refs(&text) {
            if !names.iter().any(|n| n == name) {
                names.push(name.to_string());
            }
        }
    }
    let all_have_twins = names.iter().all(|n| {
        wasi_dir
            .join(format!("components/{n}.component.wasm"))
            .is_file()
    });
    if all_have_twins {
        names
    } else {
        Vec::new()
    }
}

/// Where manifest text names a preview1 test program: the byte range of
/// `NAME.wasm` after each `../../wasi/`, and `NAME` (a plain file name).
fn program_refs(text: &str) -> Vec<(std::ops::Range<usize>, &str)> {
    let mut refs = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find(PREFIX) {
        let start = from + i + PREFIX.len();
        let end = text[start..].find('"').map_or(text.len(), |e| start + e);
        if let Some(name) = text[start..end].strip_suffix(".wasm") {
            if !name.contains('/') {
                refs.push((start..end, name));
            }
        }
        from = start;
    }
    refs
}

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// What the twin of a case must give: the core build's expected files,
/// with `expected.component.*` in their place where present.
fn expected(case_dir: &Path) -> Outcome {
    let mut e = read_expected(case_dir);
    let read = |kind: &str| fs::read_to_string(case_dir.join(format!("expected.component.{kind}")));
    if let Ok(s) = read("stdout") {
        e.stdout = s;
    }
    if let Ok(s) = read("stderr") {
        e.stderr = s;
    }
    if let Ok(s) = read("status") {
        e.status = s.trim().parse().unwrap_or(-999);
    }
    e
}

/// Write `expected.component.*` for the kinds where the twin's outcome
/// differs from the core build's expected files (and remove stale ones).
fn bless(case_dir: &Path, actual: &Outcome) -> std::io::Result<()> {
    let core = read_expected(case_dir);
    let kinds = [
        (
            "stdout",
            core.stdout != actual.stdout,
            actual.stdout.clone(),
        ),
        (
            "stderr",
            core.stderr != actual.stderr,
            actual.stderr.clone(),
        ),
        (
            "status",
            core.status != actual.status,
            format!("{}\n", actual.status),
        ),
    ];
    for (kind, differs, text) in kinds {
        let path = case_dir.join(format!("expected.component.{kind}"));
        if differs {
            fs::write(&path, text)?;
        } else if path.exists() {
            fs::remove_file(&path)?;
        }
    }
    Ok(())
}

/// Run the twin of the case in `case_dir`; None when it gives what it must.
pub fn check_twin(case_dir: &Path, wasi_dir: &Path) -> Option<String> {
    let name = case_dir.file_name().unwrap().to_string_lossy().into_owned();
    let actual = match run_twin(case_dir, wasi_dir) {
        Ok(o) => o,
        Err(e) => return Some(format!("=== component twin of {name}: {e}\n")),
    };
    let expected = expected(case_dir);
    if actual == expected {
        return None;
    }
    if blessing() {
        return match bless(case_dir, &actual) {
            Ok(()) => {
                eprintln!("blessed the component twin of {name}");
                None
            }
            Err(e) => Some(format!("=== {name}: cannot bless: {e}\n")),
        };
    }
    let mut r = format!("=== component twin of {name} ({})\n", case_dir.display());
    if actual.status != expected.status {
        r += &format!(
            "status: expected {}, got {}\n",
            expected.status, actual.status
        );
    }
    if actual.stdout != expected.stdout {
        r += &format!(
            "stdout (- expected, + actual):\n{}",
            diff(&expected.stdout, &actual.stdout)
        );
    }
    if actual.stderr != expected.stderr {
        r += &format!(
            "stderr (- expected, + actual):\n{}",
            diff(&expected.stderr, &actual.stderr)
        );
    }
    Some(r)
}

fn run_twin(case_dir: &Path, wasi_dir: &Path) -> Result<Outcome, String> {
    let tmp = tempfile::Builder::new()
        .prefix("wasmlink-twin-")
        .tempdir()
        .map_err(|e| format!("tempdir: {e}"))?;
    let name = case_dir.file_name().unwrap();
    let copy = tmp.path().join("graphs").join(name);
    fs::create_dir_all(&copy).map_err(|e| format!("mkdir: {e}"))?;
    copy_tree(case_dir, &copy).map_err(|e| format!("copying the case: {e}"))?;
    std::os::unix::fs::symlink(wasi_dir, tmp.path().join("wasi"))
        .map_err(|e| format!("symlink: {e}"))?;
    for json in json_files(&copy) {
        let text = fs::read_to_string(&json).map_err(|e| format!("{}: {e}", json.display()))?;
        let mut out = String::new();
        let mut done = 0;
        for (at, name) in program_refs(&text) {
            out.push_str(&text[done..at.start]);
            out.push_str(&format!("components/{name}.component.wasm"));
            done = at.end;
        }
        out.push_str(&text[done..]);
        fs::write(&json, out).map_err(|e| format!("{}: {e}", json.display()))?;
    }
    run_case(&copy, RunFiles::FsSubfolder)
}
