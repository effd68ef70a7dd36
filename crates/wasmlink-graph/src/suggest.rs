//! "did you mean …?": the closest known name to one that resolves to
//! nothing — an import's name in a module or facade, a node named by an
//! import, the entry or a manifest instance, a WASI function. Every error
//! that lists the available names also suggests the likeliest, so every
//! front end (the CLI, the spec harness, a library user) gets it.
//!
//! Closeness is the edit distance (`strsim`), compared without
//! regard to case first: `is_evn` → `is_even`, `Math` → `math`. Like
//! rustc, a name is only suggested within a third of the wanted name's
//! length (at least one edit, but never all of it), so short names do not
//! suggest unrelated short names. A transposition counts as one edit
//! (optimal string alignment), so `mian` finds `main`. Ties go to the first candidate, in the order the caller
//! lists them (module order, manifest order), so messages are stable.

use crate::display::shown_name;

/// Names longer than this are never compared: the distance costs the
/// product of the lengths, and a name of kilobytes is no typo.
const LONGEST: usize = 256;

/// The candidate closest to `name`, if one is close enough.
pub(crate) fn closest<'a, S>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a S>,
) -> Option<&'a str>
where
    S: AsRef<str> + ?Sized + 'a,
{
    let wanted = name.chars().count();
    if wanted == 0 || wanted > LONGEST {
        return None;
    }
    let limit = wanted.max(3) / 3;
    let lower = name.to_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        let candidate = candidate.as_ref();
        let len = candidate.chars().count();
        // The distance is at least the difference in length.
        if candidate == name || len.abs_diff(wanted) > limit || len > LONGEST {
            continue;
        }
        let distance = if candidate.to_lowercase() == lower {
            0
        } else {
            strsim::osa_distance(name, candidate)
        };
        // A suggestion keeps at least one character of the name: `x` does
        // not suggest `n`.
        if distance <= limit && distance < wanted && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// `; did you mean "x"?` for the closest candidate, or nothing: for the
/// end of a message.
pub(crate) fn did_you_mean<'a, S>(name: &str, candidates: impl IntoIterator<Item = &'a S>) -> String
where
    S: AsRef<str> + ?Sized + 'a,
{
    match closest(name, candidates) {
        Some(c) => format!("; did you mean \"{}\"?", shown_name(c)),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_find_their_name() {
        let exports = ["memory", "is_even", "is_odd", "_start"];
        assert_eq!(closest("is_evn", &exports), Some("is_even"));
        assert_eq!(closest("is_od", &exports), Some("is_odd"));
        assert_eq!(closest("IS_EVEN", &exports), Some("is_even"));
        assert_eq!(closest("_strat", &exports), Some("_start"));
        assert_eq!(
            did_you_mean("memroy", &exports),
            "; did you mean \"memory\"?"
        );
    }

    #[test]
    fn unrelated_names_suggest_nothing() {
        let names = ["main", "lib", "wasi_snapshot_preview1"];
        assert_eq!(closest("app", &names), None);
        assert_eq!(closest("x", &names), None);
        assert_eq!(closest("x", &["n"]), None);
        assert_eq!(closest("mian", &names), Some("main"));
        assert_eq!(closest("", &names), None);
        assert_eq!(did_you_mean("zzz", &names), "");
        // The name itself is not a suggestion.
        assert_eq!(closest("lib", &names), None);
    }

    #[test]
    fn ties_go_to_the_first_candidate_and_long_names_are_skipped() {
        assert_eq!(closest("abc", &["abx", "aby"]), Some("abx"));
        let long = "n".repeat(10_000);
        assert_eq!(closest(&long, &[long.clone() + "x"]), None);
    }

    #[test]
    fn suggestions_are_shown_safely() {
        let names = ["is_even\u{1b}"];
        assert_eq!(
            did_you_mean("is_even", &names),
            "; did you mean \"is_even\\x1b\"?"
        );
    }
}
