//! The `cmd` file of a case: steps, words, quoting (see `main.rs`).

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verb {
    Build,
    Run,
    Wasmlink,
    Sh,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub env: Vec<(String, String)>,
    pub verb: Verb,
    pub args: Vec<String>,
    pub stdin: Option<String>,
}

/// Split one step's text into words; `"…"` groups, `\"` and `\\` escape
/// inside quotes. A `;` outside quotes ends the step: returns the words and
/// the rest of the text.
pub fn split_words(text: &str) -> Result<(Vec<String>, &str), String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            ';' => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                }
                return Ok((words, &text[i + 1..]));
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        None => return Err(format!("unterminated quote in `{text}`")),
                        Some((_, '"')) => break,
                        Some((_, '\\')) => match chars.next() {
                            Some((_, e @ ('"' | '\\'))) => cur.push(e),
                            Some((_, e)) => {
                                cur.push('\\');
                                cur.push(e);
                            }
                            None => return Err(format!("unterminated quote in `{text}`")),
                        },
                        Some((_, ch)) => cur.push(ch),
                    }
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    Ok((words, ""))
}

pub fn parse_step(words: Vec<String>) -> Result<Step, String> {
    let mut env = Vec::new();
    let mut it = words.into_iter().peekable();
    while let Some(w) = it.peek() {
        match w.split_once('=') {
            Some((k, v))
                if !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') =>
            {
                env.push((k.to_string(), v.to_string()));
                it.next();
            }
            _ => break,
        }
    }
    let verb = match it.next().as_deref() {
        Some("build") => Verb::Build,
        Some("run") => Verb::Run,
        Some("wasmlink") => Verb::Wasmlink,
        Some("sh") => Verb::Sh,
        Some(other) => {
            return Err(format!(
                "unknown step `{other}` (expected build, run, wasmlink or sh)"
            ))
        }
        None => return Err("a step has environment assignments but no verb".into()),
    };
    let mut args = Vec::new();
    let mut stdin = None;
    while let Some(w) = it.next() {
        if w == "<" {
            stdin = Some(it.next().ok_or("`<` without a file name")?);
        } else {
            args.push(w);
        }
    }
    if verb == Verb::Sh && args.len() != 1 {
        return Err("`sh` takes one (quoted) script".into());
    }
    Ok(Step {
        env,
        verb,
        args,
        stdin,
    })
}

pub fn parse_cmd(text: &str) -> Result<Vec<Step>, String> {
    let mut steps = Vec::new();
    for line in text.lines() {
        if line.trim_start().starts_with('#') {
            continue;
        }
        let mut rest = line;
        loop {
            let (words, tail) = split_words(rest)?;
            if !words.is_empty() {
                steps.push(parse_step(words)?);
            }
            if tail.is_empty() {
                break;
            }
            rest = tail;
        }
    }
    if steps.is_empty() {
        return Err("no steps".into());
    }
    Ok(steps)
}

/// The `cmd` parser itself.
pub fn cmd_format() -> Result<(), String> {
    let steps = parse_cmd(
        "# comment\nbuild app.json ; run a \"b c\" \"\" x=1\nK=V L= wasmlink run x.wat -- \"q\\\"uote\" < in.txt\n",
    )
    .unwrap();
    assert_eq!(
        steps,
        vec![
            Step {
                env: vec![],
                verb: Verb::Build,
                args: vec!["app.json".into()],
                stdin: None
            },
            Step {
                env: vec![],
                verb: Verb::Run,
                args: vec!["a".into(), "b c".into(), "".into(), "x=1".into()],
                stdin: None
            },
            Step {
                env: vec![("K".into(), "V".into()), ("L".into(), "".into())],
                verb: Verb::Wasmlink,
                args: vec!["run".into(), "x.wat".into(), "--".into(), "q\"uote".into()],
                stdin: Some("in.txt".into())
            },
        ]
    );
    assert_eq!(parse_cmd("run a;run b").unwrap().len(), 2);
    assert_eq!(parse_cmd("run \"a;b\"").unwrap()[0].args, vec!["a;b"]);
    assert!(parse_cmd("frobnicate").is_err());
    assert_eq!(
        parse_cmd("sh \"ulimit -n 64; exec $APP\"").unwrap()[0].verb,
        Verb::Sh
    );
    assert!(parse_cmd("sh a b").is_err());
    assert!(parse_cmd("run \"open").is_err());
    assert!(parse_cmd("# only a comment\n").is_err());
    let d = crate::compare::diff("a\nb\n", "a\nc\n");
    assert!(d.contains("\n-b\n+c\n"), "{d}");
    Ok(())
}
