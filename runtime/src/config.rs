//! The WASI configuration embedded in the object
//! (`wasmlink_wasi_config`, `wasmlink_wasi_config_len`).
//!
//! It is a sequence of NUL-terminated UTF-8 strings forming records:
//!
//! | record                 | meaning                                        |
//! |------------------------|------------------------------------------------|
//! | `args-inherit`         | the program sees the executable's own argv     |
//! | `arg` VALUE            | one fixed argument (repeated, in order)        |
//! | `env-inherit`          | the program sees the executable's environment  |
//! | `env-none`             | an empty environment                           |
//! | `env` KEY=VALUE        | one fixed variable (repeated)                  |
//! | `preopen` GUEST HOST   | preopened directory (repeated; fds 3, 4, …)    |
//!
//! The configuration is explicit: without `args-inherit` the arguments are
//! the `arg` records (possibly none), without `env-inherit` the
//! environment is the `env` records (possibly none).

/// Where the program's arguments come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Args {
    Inherit,
    Fixed(Vec<Vec<u8>>),
}

/// Where the program's environment comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Env {
    Inherit,
    Fixed(Vec<Vec<u8>>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    pub args: Args,
    pub env: Env,
    /// (guest path, host path), in fd order.
    pub preopens: Vec<(Vec<u8>, Vec<u8>)>,
}

/// Parse the configuration; the error describes the first bad record.
pub fn parse(data: &[u8]) -> Result<Config, String> {
    if !data.is_empty() && data.last() != Some(&0) {
        return Err("the WASI configuration is not NUL-terminated".into());
    }
    let body = data.strip_suffix(&[0]).unwrap_or(data);
    let mut strings = if data.is_empty() {
        Vec::new()
    } else {
        body.split(|&b| b == 0).collect::<Vec<_>>()
    }
    .into_iter();

    let mut args_inherit = false;
    let mut args = Vec::new();
    let mut env_inherit = false;
    let mut env_none = false;
    let mut env = Vec::new();
    let mut preopens = Vec::new();
    let value = |strings: &mut std::vec::IntoIter<&[u8]>, key: &str| {
        strings
            .next()
            .map(<[u8]>::to_vec)
            .ok_or_else(|| format!("WASI configuration record `{key}` lacks its value"))
    };
    while let Some(key) = strings.next() {
        match key {
            b"args-inherit" => args_inherit = true,
            b"arg" => args.push(value(&mut strings, "arg")?),
            b"env-inherit" => env_inherit = true,
            b"env-none" => env_none = true,
            b"env" => env.push(value(&mut strings, "env")?),
            b"preopen" => {
                let guest = value(&mut strings, "preopen")?;
                let host = value(&mut strings, "preopen")?;
                preopens.push((guest, host));
            }
            other => {
                return Err(format!(
                    "unknown WASI configuration record `{}`",
                    String::from_utf8_lossy(other)
                ))
            }
        }
    }
    if args_inherit && !args.is_empty() {
        return Err("WASI configuration has both `args-inherit` and `arg`".into());
    }
    if usize::from(env_inherit) + usize::from(env_none) + usize::from(!env.is_empty()) > 1 {
        return Err("WASI configuration mixes `env-inherit`, `env-none` and `env`".into());
    }
    Ok(Config {
        args: if args_inherit {
            Args::Inherit
        } else {
            Args::Fixed(args)
        },
        env: if env_inherit {
            Env::Inherit
        } else {
            Env::Fixed(env)
        },
        preopens,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &[&str]) -> Vec<Vec<u8>> {
        s.iter().map(|s| s.as_bytes().to_vec()).collect()
    }

    #[test]
    fn parses_records() {
        let c =
            parse(b"arg\0prog\0arg\0\0arg\0x y\0env\0A=1\0preopen\0/data\0./d\0preopen\0.\0/tmp\0")
                .unwrap();
        assert_eq!(c.args, Args::Fixed(v(&["prog", "", "x y"])));
        assert_eq!(c.env, Env::Fixed(v(&["A=1"])));
        assert_eq!(
            c.preopens,
            vec![
                (b"/data".to_vec(), b"./d".to_vec()),
                (b".".to_vec(), b"/tmp".to_vec())
            ]
        );
        let c = parse(b"args-inherit\0env-inherit\0").unwrap();
        assert_eq!((c.args, c.env), (Args::Inherit, Env::Inherit));
        let c = parse(b"env-none\0").unwrap();
        assert_eq!((c.args, c.env), (Args::Fixed(vec![]), Env::Fixed(vec![])));
        let c = parse(b"").unwrap();
        assert_eq!(c.preopens, vec![]);
    }

    #[test]
    fn rejects_malformed() {
        assert!(parse(b"arg").is_err());
        assert!(parse(b"arg\0").is_err());
        assert!(parse(b"preopen\0/a\0").is_err());
        assert!(parse(b"bogus\0").is_err());
        assert!(parse(b"args-inherit\0arg\0x\0").is_err());
        assert!(parse(b"env-inherit\0env-none\0").is_err());
        assert!(parse(b"env-none\0env\0A=1\0").is_err());
    }
}
