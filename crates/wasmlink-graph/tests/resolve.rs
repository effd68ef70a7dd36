//! The resolver's cases, driven by data: every folder `tests/resolve/<case>/`
//! is one test, named after the folder. Its input (`app.json`, or a
//! manifest-less `main.wat` or `main.wasm`) is loaded with `load_graph` and
//! default options, and the outcome must equal the one expected file the
//! folder holds:
//!
//! * `expected.err` — the error message, then a newline;
//! * `expected.graph` — `render_text` of the resolved graph.
//!
//! In both, the case folder's path reads `{dir}`. `BLESS=1` rewrites the
//! expected file of every selected case that differs (and removes the other
//! kind, when an error became a graph or the other way round); review the
//! diff, a blessed file must describe correct behaviour. The folder's
//! `README.md` lists the cases.
//!
//! A folder with no input, several inputs, or no expected file fails; no
//! case is ever skipped.

use libtest_mimic::{Arguments, Failed, Trial};
use std::fs;
use std::path::{Path, PathBuf};
use wasmlink_graph::{load_graph, render_text, LoadOptions};

/// The names an input may have, one per case.
const INPUTS: [&str; 3] = ["app.json", "main.wat", "main.wasm"];
const EXPECTED_ERR: &str = "expected.err";
const EXPECTED_GRAPH: &str = "expected.graph";

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/resolve")
}

fn blessing() -> bool {
    std::env::var_os("BLESS").is_some_and(|v| !v.is_empty() && v != "0")
}

fn main() {
    let args = Arguments::from_args();
    let root = cases_dir();
    let mut dirs: Vec<PathBuf> = match fs::read_dir(&root) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_dir())
            .collect(),
        Err(e) => {
            eprintln!("cannot read {}: {e}", root.display());
            std::process::exit(101);
        }
    };
    if dirs.is_empty() {
        eprintln!("no cases (folders) in {}", root.display());
        std::process::exit(101);
    }
    dirs.sort();
    let bless = blessing();
    let trials = dirs
        .into_iter()
        .map(|dir| {
            let name = dir
                .file_name()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            Trial::test(name, move || check(&dir, bless))
        })
        .collect();
    libtest_mimic::run(&args, trials).exit();
}

/// The case's input: exactly one of [`INPUTS`].
fn input(dir: &Path) -> Result<PathBuf, String> {
    let found: Vec<PathBuf> = INPUTS
        .iter()
        .map(|n| dir.join(n))
        .filter(|p| p.exists())
        .collect();
    match found.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(format!(
            "{}: no input; a case holds one of {}",
            dir.display(),
            INPUTS.join(", ")
        )),
        _ => Err(format!(
            "{}: several inputs; a case holds exactly one of {}",
            dir.display(),
            INPUTS.join(", ")
        )),
    }
}

/// `text` with the case folder's path (as given, and canonical) as `{dir}`.
fn with_dir_placeholder(text: &str, dir: &Path) -> String {
    let mut forms = vec![dir.display().to_string()];
    if let Ok(canonical) = dir.canonicalize() {
        forms.push(canonical.display().to_string());
    }
    // The longer form first, in case one contains the other.
    forms.sort_by_key(|f| std::cmp::Reverse(f.len()));
    forms
        .iter()
        .fold(text.to_string(), |t, f| t.replace(f.as_str(), "{dir}"))
}

/// Load the case: which expected file it produces, and its text.
fn outcome(dir: &Path) -> Result<(&'static str, String), String> {
    let input = input(dir)?;
    let (file, text) = match load_graph(&input, &LoadOptions::default()) {
        Ok(g) => (EXPECTED_GRAPH, render_text(&g)),
        Err(e) => (EXPECTED_ERR, format!("{e}\n")),
    };
    Ok((file, with_dir_placeholder(&text, dir)))
}

fn read_expected(dir: &Path, file: &str) -> Result<Option<String>, String> {
    let path = dir.join(file);
    match fs::read_to_string(&path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("cannot read {}: {e}", path.display())),
    }
}

fn check(dir: &Path, bless: bool) -> Result<(), Failed> {
    let (file, actual) = outcome(dir)?;
    let other = if file == EXPECTED_ERR {
        EXPECTED_GRAPH
    } else {
        EXPECTED_ERR
    };
    let expected = read_expected(dir, file)?;
    let unexpected = read_expected(dir, other)?;
    if expected.as_deref() == Some(actual.as_str()) && unexpected.is_none() {
        return Ok(());
    }
    if bless {
        fs::write(dir.join(file), &actual)
            .map_err(|e| format!("cannot write {}: {e}", dir.join(file).display()))?;
        if unexpected.is_some() {
            fs::remove_file(dir.join(other))
                .map_err(|e| format!("cannot remove {}: {e}", dir.join(other).display()))?;
        }
        return Ok(());
    }
    let what = |f: &str| {
        if f == EXPECTED_ERR {
            "an error"
        } else {
            "a graph"
        }
    };
    let message = match (&expected, &unexpected) {
        (Some(expected), None) => format!(
            "{} differs (- expected, + actual):\n{}",
            file,
            diff(expected, &actual)
        ),
        (Some(_), Some(_)) => format!("the case holds both {file} and {other}; keep one"),
        (None, Some(_)) => format!(
            "expected {} ({other}), got {}:\n{actual}",
            what(other),
            what(file)
        ),
        (None, None) => format!("no {EXPECTED_ERR} or {EXPECTED_GRAPH}; the outcome is:\n{actual}"),
    };
    Err(format!(
        "{}: {}\n(BLESS=1 rewrites the expected file)",
        dir.display(),
        message.trim_end()
    )
    .into())
}

/// A unified line diff of `expected` and `actual`, with three lines of
/// context around each change.
fn diff(expected: &str, actual: &str) -> String {
    similar::TextDiff::from_lines(expected, actual)
        .unified_diff()
        .context_radius(3)
        .header("expected", "actual")
        .to_string()
}
