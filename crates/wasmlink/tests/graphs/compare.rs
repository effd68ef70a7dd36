//! Comparing a case's outcome with its expected files, or blessing them.

use crate::blessing;
use crate::run::{run_case, Outcome, RunFiles};
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

pub fn read_expected(case_dir: &Path) -> Outcome {
    let read = |n: &str| fs::read_to_string(case_dir.join(n)).unwrap_or_default();
    let status = read("expected.status");
    Outcome {
        stdout: read("expected.stdout"),
        stderr: read("expected.stderr"),
        status: status
            .trim()
            .parse()
            .unwrap_or(if status.trim().is_empty() { 0 } else { -999 }),
    }
}

pub fn write_expected(case_dir: &Path, o: &Outcome) -> std::io::Result<()> {
    fs::write(case_dir.join("expected.stdout"), &o.stdout)?;
    fs::write(case_dir.join("expected.stderr"), &o.stderr)?;
    fs::write(case_dir.join("expected.status"), format!("{}\n", o.status))
}

/// A unified line diff of `expected` and `actual`, with three lines of
/// context around each change.
pub fn diff(expected: &str, actual: &str) -> String {
    similar::TextDiff::from_lines(expected, actual)
        .unified_diff()
        .context_radius(3)
        .header("expected", "actual")
        .to_string()
}

/// Compare a case's outcome with its expected files (or bless them).
/// Returns a report of the differences, or None when it matches.
pub fn check_case(case_dir: &Path, files: RunFiles) -> Option<String> {
    let name = case_dir.file_name().unwrap().to_string_lossy().into_owned();
    let actual = match run_case(case_dir, files) {
        Ok(o) => o,
        Err(e) => return Some(format!("=== {name}: {e}\n")),
    };
    let expected = read_expected(case_dir);
    if actual == expected {
        return None;
    }
    if blessing() {
        return match write_expected(case_dir, &actual) {
            Ok(()) => {
                eprintln!("blessed {name}");
                None
            }
            Err(e) => Some(format!("=== {name}: cannot bless: {e}\n")),
        };
    }
    let mut r = format!("=== {name} ({})\n", case_dir.display());
    if actual.status != expected.status {
        let _ = writeln!(
            r,
            "status: expected {}, got {}",
            expected.status, actual.status
        );
    }
    if actual.stdout != expected.stdout {
        let _ = write!(
            r,
            "stdout (- expected, + actual):\n{}",
            diff(&expected.stdout, &actual.stdout)
        );
    }
    if actual.stderr != expected.stderr {
        let _ = write!(
            r,
            "stderr (- expected, + actual):\n{}",
            diff(&expected.stderr, &actual.stderr)
        );
    }
    Some(r)
}
