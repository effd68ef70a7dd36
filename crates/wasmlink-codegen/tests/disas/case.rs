//! One disassembly case file: its `;;!` header, the module text and the
//! expected listing in the trailing comment block (format in README.md).

use wasmlink_codegen::{LinkMode, ListingFormat, ListingOptions};

/// The line that starts the expected listing; everything after it is
/// rewritten by `BLESS=1`.
pub const MARKER: &str =
    ";; ---- expected: BLESS=1 cargo test -p wasmlink-codegen --test disas rewrites everything below ----";

/// A parsed case file.
#[derive(Debug)]
pub struct Case {
    pub options: ListingOptions,
    /// Everything before the expected block (header, comments, module).
    pub body: String,
    /// The expected listing, without its `;; ` prefixes; `None` when the
    /// file has no expected block yet.
    pub expected: Option<String>,
}

impl Case {
    pub fn parse(text: &str) -> Result<Case, String> {
        let (body, expected) = match text.find(&format!("\n{MARKER}\n")) {
            Some(at) => {
                let block = &text[at + MARKER.len() + 2..];
                (&text[..at + 1], Some(uncomment(block)?))
            }
            None if text.ends_with(&format!("\n{MARKER}")) => {
                (&text[..text.len() - MARKER.len()], Some(String::new()))
            }
            None => (text, None),
        };
        let mut options = ListingOptions::default();
        let mut seen = Vec::new();
        for (n, line) in body.lines().enumerate() {
            let Some(setting) = line.strip_prefix(";;!") else {
                break;
            };
            let (key, value) =
                parse_setting(setting).map_err(|e| format!("line {}: {e}", n + 1))?;
            if seen.contains(&key) {
                return Err(format!("line {}: `{key}` is set twice", n + 1));
            }
            match key {
                "format" => {
                    options.format = match value {
                        "asm" => ListingFormat::Asm,
                        "clif" => ListingFormat::Clif,
                        _ => return Err(format!("line {}: format is \"asm\" or \"clif\"", n + 1)),
                    }
                }
                "link" => {
                    options.link = match value {
                        "static" => LinkMode::Static,
                        "dynamic" => LinkMode::Dynamic,
                        _ => {
                            return Err(format!(
                                "line {}: link is \"static\" or \"dynamic\"",
                                n + 1
                            ))
                        }
                    }
                }
                "functions" => options.function = Some(value.to_string()),
                "wpo" => options.wpo = value.parse().map_err(|e| format!("line {}: {e}", n + 1))?,
                _ => {
                    return Err(format!(
                        "line {}: unknown setting `{key}` (known: format, link, wpo, functions)",
                        n + 1
                    ))
                }
            }
            seen.push(key);
        }
        Ok(Case {
            options,
            body: body.to_string(),
            expected,
        })
    }

    /// The file with `listing` as its expected block.
    pub fn blessed(&self, listing: &str) -> String {
        let mut out = self.body.trim_end().to_string();
        out.push_str("\n\n");
        out.push_str(MARKER);
        out.push('\n');
        for line in listing.lines() {
            if line.is_empty() {
                out.push_str(";;\n");
            } else {
                out.push_str(";; ");
                out.push_str(line);
                out.push('\n');
            }
        }
        out
    }
}

/// `key = "value"` (spaces around `=` optional).
fn parse_setting(setting: &str) -> Result<(&str, &str), String> {
    let (key, value) = setting
        .split_once('=')
        .ok_or("expected `;;! key = \"value\"`")?;
    let value = value.trim();
    let value = value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .ok_or_else(|| format!("the value of `{}` must be in double quotes", key.trim()))?;
    Ok((key.trim(), value))
}

/// The expected block's text: every line is `;;` or `;; text`.
fn uncomment(block: &str) -> Result<String, String> {
    let mut out = String::new();
    for line in block.lines() {
        let text = if line == ";;" {
            ""
        } else {
            line.strip_prefix(";; ").ok_or_else(|| {
                format!(
                    "a line of the expected block is not a `;; ` comment: {line:?} \
                     (the block runs to the end of the file)"
                )
            })?
        };
        out.push_str(text);
        out.push('\n');
    }
    Ok(out)
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
