//! Disassembly snapshots: every `tests/disas/*.wat` is one test. Its module
//! is loaded as `wasmlink disas` loads an input, its functions are compiled
//! with the production ISA and flags, and the listing must equal the
//! file's trailing comment block. `BLESS=1 cargo test -p wasmlink-codegen
//! --test disas` rewrites the blocks that differ (review the diff). The case
//! format is described in `tests/disas/README.md`.

#[path = "disas/case.rs"]
mod case;

use case::{diff, Case};
use libtest_mimic::{Arguments, Failed, Trial};
use std::path::{Path, PathBuf};

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/disas")
}

fn main() {
    let args = Arguments::from_args();
    let dir = cases_dir();
    let mut paths: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "wat"))
            .collect(),
        Err(e) => {
            eprintln!("cannot read {}: {e}", dir.display());
            std::process::exit(101);
        }
    };
    if paths.is_empty() {
        eprintln!("no cases (*.wat) in {}", dir.display());
        std::process::exit(101);
    }
    paths.sort();
    let bless = std::env::var_os("BLESS").is_some_and(|v| v == "1");
    let trials = paths
        .into_iter()
        .map(|path| {
            let name = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            Trial::test(name, move || check(&path, bless))
        })
        .collect();
    libtest_mimic::run(&args, trials).exit();
}

fn check(path: &Path, bless: bool) -> Result<(), Failed> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let case = Case::parse(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let resolved = wasmlink_codegen::load_graph_for_listing(path)?;
    let listings = wasmlink_codegen::list_functions(&resolved.graph, &case.options)?;
    if listings.is_empty() {
        return Err(format!(
            "no function matches `functions = {:?}`; the functions are: {}",
            case.options.function.as_deref().unwrap_or_default(),
            wasmlink_codegen::disas::function_names(&resolved.graph).join(", ")
        )
        .into());
    }
    let actual = wasmlink_codegen::render_listings(&listings);
    if case.expected.as_deref() == Some(actual.as_str()) {
        return Ok(());
    }
    if bless {
        std::fs::write(path, case.blessed(&actual))
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        return Ok(());
    }
    Err(match &case.expected {
        None => format!(
            "{} has no expected block; run with BLESS=1 to write it",
            path.display()
        ),
        Some(expected) => format!(
            "{}: the listing differs from the expected block (- expected, + actual); \
             BLESS=1 rewrites it\n{}",
            path.display(),
            diff(expected, &actual)
        ),
    }
    .into())
}
