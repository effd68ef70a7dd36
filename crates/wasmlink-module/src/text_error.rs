//! Messages for text-format (`.wat`) parse errors that are safe to print.
//!
//! The `wat` crate renders an error with the offending line of the input.
//! Printed as is, that line could carry terminal escape sequences or be
//! gigabytes long (a file without newlines). Here every control character
//! is shown escaped, every line is cut to [`MAX_LINE`] characters, and
//! [`without_excerpt`] drops the quoted line altogether for inputs that
//! were not meant to be text modules.

/// The longest line kept in a message, in characters. `wat` points at
/// columns up to 500 in its excerpt (beyond that it prints no excerpt), so
/// the caret always stays within the kept part.
pub const MAX_LINE: usize = 520;

/// `message` with control characters escaped and long lines cut.
pub fn sanitize(message: &str) -> String {
    let mut out = String::with_capacity(message.len().min(4 * MAX_LINE));
    for (i, line) in message.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        for (kept, c) in line.chars().enumerate() {
            if kept == MAX_LINE {
                out.push('…');
                break;
            }
            if c.is_control() {
                out.extend(c.escape_default());
            } else {
                out.push(c);
            }
        }
    }
    out
}

/// `message` (a rendered `wat` error) reduced to what names the problem
/// and its place: the first line and the `--> file:line:column` line, not
/// the quoted source line and its caret.
pub fn without_excerpt(message: &str) -> String {
    let mut lines = message.split('\n');
    let mut out = lines.next().unwrap_or_default().to_string();
    if let Some(place) = lines.find(|l| l.trim_start().starts_with("--> ")) {
        out.push('\n');
        out.push_str(place);
    }
    out
}

/// The line and column of a rendered `wat` error: its `--> file:L:C`
/// line, which `wat` writes for every error with a position (the message
/// is all a `LoadError::Wat` keeps; the file may itself hold colons, so
/// the numbers are read from the end).
pub fn place(message: &str) -> Option<(usize, usize)> {
    let at = message
        .split('\n')
        .find_map(|l| l.trim_start().strip_prefix("--> "))?;
    let mut parts = at.rsplitn(3, ':');
    let column = parts.next()?.trim().parse().ok()?;
    let line = parts.next()?.parse().ok()?;
    parts.next()?;
    Some((line, column))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wat_error(text: &str) -> String {
        crate::parse_wat_or_wasm(text.as_bytes())
            .map(|_| ())
            .expect_err("does not parse")
            .to_string()
    }

    #[test]
    fn escapes_are_shown_not_sent() {
        let m = wat_error("(module \u{1b}[31mred \u{7})");
        assert!(!m.chars().any(|c| c.is_control() && c != '\n'), "{m:?}");
        assert!(m.contains("\\u{1b}[31mred"), "{m}");
    }

    #[test]
    fn long_lines_are_cut() {
        let text = format!("(module {})", "x".repeat(100_000));
        let m = wat_error(&text);
        assert!(m.lines().all(|l| l.chars().count() <= MAX_LINE + 1), "{m}");
        assert!(m.len() < 2_000, "{} bytes", m.len());
    }

    #[test]
    fn the_excerpt_can_be_dropped() {
        let m = wat_error("(module)\n(secret line)\n");
        assert!(m.contains("secret line"), "the excerpt quotes it: {m}");
        let short = without_excerpt(&m);
        assert!(!short.contains("secret"), "{short}");
        assert!(short.contains("--> <anon>:2:"), "{short}");
    }

    #[test]
    fn the_place_is_read_from_the_arrow_line() {
        let m = wat_error("(module)\n  (oops)\n");
        assert_eq!(place(&m), Some((2, 3)), "{m}");
        assert_eq!(place("x\n  --> a:b.wat:10:7\n"), Some((10, 7)));
        assert_eq!(place("no place here"), None);
    }
}
