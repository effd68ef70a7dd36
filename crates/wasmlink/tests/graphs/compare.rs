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

/// A line diff (longest common subsequence), `-` expected, `+` actual.
pub fn diff(expected: &str, actual: &str) -> String {
    let a: Vec<&str> = expected.split_inclusive('\n').collect();
    let b: Vec<&str> = actual.split_inclusive('\n').collect();
    let show = |l: &str| {
        if l.ends_with('\n') {
            l.to_string()
        } else {
            format!("{l}⏎ (no newline at end)\n")
        }
    };
    let mut out = String::new();
    if a.len() * b.len() > 4_000_000 {
        out.push_str("(outputs too long to diff line by line)\n--- expected\n");
        a.iter().take(50).for_each(|l| out.push_str(&show(l)));
        out.push_str("--- actual\n");
        b.iter().take(50).for_each(|l| out.push_str(&show(l)));
        return out;
    }
    let (n, m) = (a.len(), b.len());
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut lines) = (0, 0, 0);
    while (i < n || j < m) && lines < 400 {
        if i < n && j < m && a[i] == b[j] {
            out.push_str("  ");
            out.push_str(&show(a[i]));
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
            out.push_str("- ");
            out.push_str(&show(a[i]));
            i += 1;
        } else {
            out.push_str("+ ");
            out.push_str(&show(b[j]));
            j += 1;
        }
        lines += 1;
    }
    if i < n || j < m {
        out.push_str("  …\n");
    }
    out
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
