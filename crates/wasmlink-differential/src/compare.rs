//! Comparing wasmlink's outcomes with the reference's (the rules are in the
//! crate documentation).

use crate::{Case, CaseOutcome, Outcome};

/// A coarse trap category both engines' messages map to, if recognised.
fn category(message: &str) -> Option<&'static str> {
    let m = message.to_ascii_lowercase();
    // Arithmetic first: V8's "float unrepresentable in integer range"
    // contains "table".
    if ["divide", "overflow", "conversion", "unrepresentable"]
        .iter()
        .any(|k| m.contains(k))
    {
        Some("arithmetic")
    // A null reference where a non-null one is needed (`call_ref`,
    // `ref.as_non_null`, `throw_ref`): wasmlink's "null (function |
    // exception) reference", V8's "dereferencing a null pointer" and
    // "rethrowing null value". Before "table": V8's `call_indirect` of a
    // null entry is "null function or function signature mismatch".
    } else if [
        "null reference",
        "null function reference",
        "null exception reference",
        "null pointer",
        "null value",
    ]
    .iter()
    .any(|k| m.contains(k))
    {
        Some("null")
    } else if m.contains("unreachable") {
        Some("unreachable")
    } else if m.contains("memory") {
        Some("memory")
    } else if [
        "table",
        "element",
        "signature",
        "null function",
        "indirect call",
    ]
    .iter()
    .any(|k| m.contains(k))
    {
        Some("table")
    } else {
        None
    }
}

/// How one comparison went.
enum Verdict {
    Same,
    /// Stop comparing this case (stack exhaustion, unsupported by the reference).
    Skip,
    Differ(String),
}

/// Whether a trap is an implementation limit on GC allocation
/// (wasmlink's `allocation failure`, V8's "requested new array is too
/// large" or an out-of-memory error): engines bound objects differently,
/// so such a trap says nothing about either one's correctness.
fn is_allocation_limit(message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    ["allocation failure", "too large", "out of memory"]
        .iter()
        .any(|k| m.contains(k))
}

fn verdict(ours: &Outcome, reference: &Outcome) -> Verdict {
    use Outcome::*;
    match (ours, reference) {
        (Exhausted, _) | (_, Exhausted) | (_, Unsupported(_)) => Verdict::Skip,
        (Trap(m), _) | (_, Trap(m)) if is_allocation_limit(m) => Verdict::Skip,
        (Values(a), Values(b)) if a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.same(y)) => {
            Verdict::Same
        }
        (Trap(a), Trap(b)) => match (category(a), category(b)) {
            (Some(x), Some(y)) if x != y => {
                Verdict::Differ(format!("wasmlink trapped with {a:?}, reference with {b:?}"))
            }
            _ => Verdict::Same,
        },
        (NotRun, NotRun) | (Exception, Exception) => Verdict::Same,
        _ => Verdict::Differ(format!(
            "wasmlink: {}, reference: {}",
            show(ours),
            show(reference)
        )),
    }
}

fn show(o: &Outcome) -> String {
    match o {
        Outcome::Values(v) => {
            let v: Vec<String> = v.iter().map(|v| v.to_string()).collect();
            format!("returned [{}]", v.join(", "))
        }
        Outcome::Trap(m) => format!("trap {m:?}"),
        Outcome::Exception => "uncaught exception".into(),
        Outcome::Exhausted => "stack exhausted".into(),
        Outcome::NotRun => "not run".into(),
        Outcome::Unsupported(m) => format!("unsupported ({m})"),
    }
}

/// The result of comparing a batch.
#[derive(Clone, Debug, Default)]
pub struct DiffReport {
    /// Cases whose every command was compared.
    pub cases_compared: usize,
    /// Calls and global reads that agreed.
    pub agreed: usize,
    /// Of those, calls and reads that returned at least one value.
    pub returned: usize,
    /// Of those, calls (and instantiations) that an exception escaped.
    pub exceptions: usize,
    /// Cases cut short: stack exhaustion, or the reference could not run them.
    pub skipped: usize,
    /// One line per disagreement or wasmlink failure: `case: what`.
    pub mismatches: Vec<String>,
}

impl std::ops::AddAssign for DiffReport {
    fn add_assign(&mut self, o: DiffReport) {
        self.cases_compared += o.cases_compared;
        self.agreed += o.agreed;
        self.returned += o.returned;
        self.exceptions += o.exceptions;
        self.skipped += o.skipped;
        self.mismatches.extend(o.mismatches);
    }
}

/// Compare wasmlink's outcomes with the reference's, case by case.
pub fn compare(
    cases: &[Case],
    ours: &[Result<CaseOutcome, String>],
    reference: &[CaseOutcome],
) -> DiffReport {
    let mut report = DiffReport::default();
    for ((case, ours), theirs) in cases.iter().zip(ours).zip(reference) {
        if theirs
            .iter()
            .any(|r| matches!(r.instantiate, Outcome::Unsupported(_)))
        {
            report.skipped += 1;
            continue;
        }
        let ours = match ours {
            Ok(o) => o,
            Err(e) => {
                report
                    .mismatches
                    .push(format!("{}: wasmlink failed: {e}", case.name));
                continue;
            }
        };
        let mut complete = true;
        for (n, ((calls, ours), theirs)) in case.runs.iter().zip(ours).zip(theirs).enumerate() {
            let labels = std::iter::once("instantiation".to_string())
                .chain(calls.iter().map(|c| {
                    let args: Vec<String> = c.args.iter().map(|a| a.to_string()).collect();
                    format!("call {:?}({})", c.export, args.join(", "))
                }))
                .chain(case.globals.iter().map(|(n, _)| format!("global {n:?}")));
            let pairs = std::iter::once((&ours.instantiate, &theirs.instantiate))
                .chain(ours.calls.iter().zip(&theirs.calls))
                .chain(ours.globals.iter().zip(&theirs.globals));
            for (label, (a, b)) in labels.zip(pairs) {
                match verdict(a, b) {
                    Verdict::Same => {
                        report.agreed += 1;
                        match a {
                            Outcome::Values(v) if !v.is_empty() => report.returned += 1,
                            Outcome::Exception => report.exceptions += 1,
                            _ => {}
                        }
                    }
                    Verdict::Skip => {
                        complete = false;
                        break;
                    }
                    Verdict::Differ(d) => {
                        complete = false;
                        report
                            .mismatches
                            .push(format!("{}: run {n}: {label}: {d}", case.name));
                        break;
                    }
                }
            }
        }
        if complete {
            report.cases_compared += 1;
        } else {
            report.skipped += 1;
        }
    }
    report
}
