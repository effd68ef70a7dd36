//! How names from modules and manifests are shown in messages.
//!
//! Module, import, export and function names are arbitrary strings chosen by
//! whoever wrote the input. Printed raw, a name holding `ESC[2K` or `\r`
//! rewrites the terminal line it is printed on, and a name of megabytes
//! makes a message of megabytes. Every name that reaches a message or a trap
//! report therefore goes through [`shown_name`]: control characters become
//! visible escapes and the result is at most [`NAME_LIMIT`] bytes plus `…`.
//!
//! [`shown_message`] is the guard applied to a complete error message when
//! it is displayed, for names that were formatted into it raw: it escapes
//! control characters, shortens every over-long quoted part (names are
//! quoted in messages) and bounds the whole message.
//!
//! Escapes: `\0`, `\t`, `\n`, `\r`, `\xHH` for the other C0 controls and
//! DEL, `\u{HHHH}` for C1 controls and the invisible direction-changing
//! characters (U+061C, U+200E/F, U+202A–202E, U+2066–2069), which can make
//! text read differently from what it is. A backslash is shown as is, so a
//! name that already contains `\x1b` as text reads the same as one holding
//! ESC; the point is that neither can act on the terminal.

use std::fmt::Write;

/// Longest shown name in bytes, before the `…` that marks a cut.
pub const NAME_LIMIT: usize = 200;

/// Longest error message in bytes (the tail is replaced by a note).
pub const MESSAGE_LIMIT: usize = 16 * 1024;

/// At most this many names are listed in a message (see [`list`]).
pub const LIST_LIMIT: usize = 50;

/// Marks a shortened name.
const CUT: &str = "…";

/// The escape for `c`, or `None` when `c` is shown as itself.
fn escape(c: char) -> Option<String> {
    Some(match c {
        '\0' => "\\0".to_string(),
        '\t' => "\\t".to_string(),
        '\n' => "\\n".to_string(),
        '\r' => "\\r".to_string(),
        '\u{1}'..='\u{1f}' | '\u{7f}' => format!("\\x{:02x}", c as u32),
        '\u{80}'..='\u{9f}'
        | '\u{61c}'
        | '\u{200e}'
        | '\u{200f}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}' => format!("\\u{{{:x}}}", c as u32),
        _ => return None,
    })
}

/// `name` as it may appear in a message: control characters escaped, at
/// most [`NAME_LIMIT`] bytes, then `…` when it was cut.
pub fn shown_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len().min(NAME_LIMIT + CUT.len()));
    for c in name.chars() {
        let before = out.len();
        match escape(c) {
            Some(e) => out.push_str(&e),
            None => out.push(c),
        }
        if out.len() > NAME_LIMIT {
            out.truncate(before);
            out.push_str(CUT);
            break;
        }
    }
    out
}

/// A complete message made safe to print: control characters escaped,
/// every quoted part (`"…"`) longer than [`NAME_LIMIT`] bytes cut, and the
/// whole at most `MESSAGE_LIMIT` bytes (16 KiB).
///
/// Messages quote the names they mention, so cutting quoted parts shortens
/// names without touching the prose around them. A name that itself holds
/// a `"` can throw the quote pairing off; the overall limit still holds.
pub fn shown_message(message: &str) -> String {
    let mut out = String::with_capacity(message.len().min(MESSAGE_LIMIT + 64));
    let mut quoted = false;
    // Bytes of the current quoted part written so far, and whether it was cut.
    let mut part = 0usize;
    let mut cut = false;
    for c in message.chars() {
        if c == '"' {
            quoted = !quoted;
            part = 0;
            cut = false;
        } else if quoted {
            if cut {
                continue;
            }
            let len = escape(c).map_or(c.len_utf8(), |e| e.len());
            if part + len > NAME_LIMIT {
                out.push_str(CUT);
                cut = true;
                continue;
            }
            part += len;
        }
        match escape(c) {
            Some(e) => out.push_str(&e),
            None => out.push(c),
        }
        if out.len() > MESSAGE_LIMIT {
            let mut end = MESSAGE_LIMIT;
            while !out.is_char_boundary(end) {
                end -= 1;
            }
            out.truncate(end);
            let _ = write!(out, "{CUT} (message shortened: {} bytes)", message.len());
            break;
        }
    }
    out
}

/// [`shown_message`] for text made of several lines (a WAT syntax error
/// quotes the offending source line under the message): each line is
/// made safe on its own and the line breaks are kept.
pub fn shown_lines(text: &str) -> String {
    let lines: Vec<String> = text.split('\n').map(shown_message).collect();
    let joined = lines.join("\n");
    if joined.len() > MESSAGE_LIMIT {
        // Each line is bounded; many lines are bounded here.
        return shown_message(&joined.replace('\n', " "));
    }
    joined
}

/// A report (any length, several lines) made safe to print on a terminal:
/// control characters other than the line breaks escaped as in messages,
/// nothing cut.
pub fn escaped_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match escape(c) {
            Some(e) if c != '\n' => out.push_str(&e),
            _ => out.push(c),
        }
    }
    out
}

/// `a, b, c` (or `(none)`), each name as [`shown_name`] shows it; past
/// [`LIST_LIMIT`] names, the rest are counted rather than listed.
pub(crate) fn list<I, S>(names: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut shown: Vec<String> = Vec::new();
    let mut more = 0usize;
    for name in names {
        if shown.len() < LIST_LIMIT {
            shown.push(shown_name(name.as_ref()));
        } else {
            more += 1;
        }
    }
    if shown.is_empty() {
        return "(none)".into();
    }
    let mut text = shown.join(", ");
    if more > 0 {
        text.push_str(&format!(" and {more} more"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_names_are_unchanged() {
        for n in ["add", "fd_write", "ünïcødé", "a b", "with \"quotes\"", ""] {
            assert_eq!(shown_name(n), n);
            assert_eq!(shown_message(n), n);
        }
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(shown_name("a\u{1b}[2K\rb"), "a\\x1b[2K\\rb");
        assert_eq!(shown_name("\0\t\n\u{7f}"), "\\0\\t\\n\\x7f");
        assert_eq!(shown_name("x\u{9b}31m"), "x\\u{9b}31m");
        assert_eq!(shown_name("abc\u{202e}fed"), "abc\\u{202e}fed");
        assert!(!shown_message("m \"\u{1b}\" \u{1b}\n").contains(['\u{1b}', '\n']));
    }

    #[test]
    fn long_names_are_cut() {
        let long = "a".repeat(1 << 20);
        let s = shown_name(&long);
        assert_eq!(s, format!("{}…", "a".repeat(NAME_LIMIT)));
        // Never in the middle of a character or of an escape.
        let s = shown_name(&"é".repeat(300));
        assert_eq!(s, format!("{}…", "é".repeat(NAME_LIMIT / 2)));
        let s = shown_name(&format!("{}\u{1b}", "a".repeat(NAME_LIMIT - 2)));
        assert_eq!(s, format!("{}…", "a".repeat(NAME_LIMIT - 2)));
        // Exactly the limit is not cut.
        assert_eq!(shown_name(&"b".repeat(NAME_LIMIT)), "b".repeat(NAME_LIMIT));
    }

    #[test]
    fn messages_cut_quoted_names_only() {
        let long = "n".repeat(1 << 20);
        let m = format!("imports \"env\" \"{long}\": instance \"lib\" has no export \"{long}\"; it exports: add");
        let s = shown_message(&m);
        let cut = format!("{}…", "n".repeat(NAME_LIMIT));
        assert_eq!(
            s,
            format!("imports \"env\" \"{cut}\": instance \"lib\" has no export \"{cut}\"; it exports: add")
        );
        // Prose outside quotes is kept however long (up to the overall limit).
        let prose = format!("x{}", " word".repeat(100));
        assert_eq!(shown_message(&prose), prose);
    }

    #[test]
    fn multi_line_text_keeps_its_lines() {
        let t = "unknown operator\n  --> a.wat:4:6\n4 | (i32.frobnicate \"\u{1b}[2K\")";
        assert_eq!(
            shown_lines(t),
            "unknown operator\n  --> a.wat:4:6\n4 | (i32.frobnicate \"\\x1b[2K\")"
        );
        let many = "line\n".repeat(10_000);
        assert!(shown_lines(&many).len() < MESSAGE_LIMIT + 100);
    }

    #[test]
    fn messages_are_bounded() {
        // A long name outside any quoted part (a name holding a quote
        // throws the pairing off this way).
        let m = format!("a \"b\"c\"\" {}", "z".repeat(1 << 20));
        let s = shown_message(&m);
        assert!(s.len() < MESSAGE_LIMIT + 100, "{}", s.len());
        assert!(s.ends_with(&format!("(message shortened: {} bytes)", m.len())));
    }

    #[test]
    fn lists_show_names_safely() {
        assert_eq!(list(Vec::<String>::new()), "(none)");
        assert_eq!(list(["a", "b\u{1b}[2K"]), "a, b\\x1b[2K");
        let long = "x".repeat(1000);
        assert_eq!(list([long.as_str()]), format!("{}…", "x".repeat(200)));
        let many: Vec<String> = (0..60).map(|i| format!("e{i}")).collect();
        let text = list(&many);
        assert!(text.starts_with("e0, e1, "), "{text}");
        assert!(text.ends_with("e49 and 10 more"), "{text}");
    }
}
