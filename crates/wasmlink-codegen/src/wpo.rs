//! Whole-program optimisations: what a static link may do because it sees
//! every instance of the program at build time, and what no runtime that
//! instantiates modules one by one can. Each one can be switched off on
//! its own (`--wpo`), so a benchmark can show what it buys; the dynamic
//! link mode uses none of them, so a comparison with it stays honest.

use crate::LinkMode;
use std::fmt;
use std::str::FromStr;

/// The whole-program optimisations a build uses (`--wpo LIST`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Optimizations {
    /// Small callees are inlined into their callers, across instance and
    /// facade boundaries (`inline`).
    pub inline: bool,
    /// The state of an instance whose source has no other instance is
    /// reached at its link-time address rather than through the vmctx
    /// parameter, and an imported memory, global or table through the
    /// exporter's address (`fixed-state`).
    pub fixed_state: bool,
    /// A `call_indirect` with a constant index into a table nothing
    /// writes after instantiation is a direct call (`devirtualize`).
    pub devirtualize: bool,
    /// Functions, globals, tables and segments the program can never use
    /// are not emitted (`dead-code`): one shared trap stands in for every
    /// dead function, dead globals and tables are never initialised or
    /// created (see `crate::reach`).
    pub dead_code: bool,
    /// Leaf functions with small frames skip the stack-limit check (the
    /// guard space below the limit catches them), and the check reads the
    /// limit from a fixed address (`stack-checks`).
    pub stack_checks: bool,
}

impl Optimizations {
    /// Every optimisation (the default of `--link static`).
    pub const ALL: Optimizations = Optimizations {
        inline: true,
        fixed_state: true,
        devirtualize: true,
        dead_code: true,
        stack_checks: true,
    };
    /// None (`--wpo none`, and always in `--link dynamic`).
    pub const NONE: Optimizations = Optimizations {
        inline: false,
        fixed_state: false,
        devirtualize: false,
        dead_code: false,
        stack_checks: false,
    };

    /// The optimisations in effect in link mode `link`: none in a dynamic
    /// link, which stays what a runtime that instantiates modules does.
    pub fn for_link(self, link: LinkMode) -> Optimizations {
        match link {
            LinkMode::Static => self,
            LinkMode::Dynamic => Optimizations::NONE,
        }
    }

    /// The name of each optimisation in `--wpo`, with its flag.
    fn fields(&mut self) -> [(&'static str, &mut bool); 5] {
        [
            ("inline", &mut self.inline),
            ("fixed-state", &mut self.fixed_state),
            ("devirtualize", &mut self.devirtualize),
            ("dead-code", &mut self.dead_code),
            ("stack-checks", &mut self.stack_checks),
        ]
    }

    /// Every name `--wpo` accepts, for messages.
    pub fn names() -> Vec<&'static str> {
        let mut none = Optimizations::NONE;
        none.fields().map(|(n, _)| n).to_vec()
    }
}

impl Default for Optimizations {
    fn default() -> Self {
        Optimizations::ALL
    }
}

impl FromStr for Optimizations {
    type Err = String;

    /// `all`, `none`, or a comma-separated list of names (each one on,
    /// the others off).
    fn from_str(text: &str) -> Result<Self, String> {
        match text {
            "all" => return Ok(Optimizations::ALL),
            "none" => return Ok(Optimizations::NONE),
            _ => {}
        }
        let mut opts = Optimizations::NONE;
        for name in text.split(',') {
            let mut fields = opts.fields();
            let Some((_, flag)) = fields.iter_mut().find(|(n, _)| *n == name) else {
                return Err(format!(
                    "unknown optimisation \"{name}\": expected all, none, or a comma-separated list of {}",
                    Optimizations::names().join(", ")
                ));
            };
            **flag = true;
        }
        Ok(opts)
    }
}

impl fmt::Display for Optimizations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut copy = *self;
        let fields = copy.fields();
        let total = fields.len();
        let on: Vec<&str> = fields
            .into_iter()
            .filter(|(_, flag)| **flag)
            .map(|(n, _)| n)
            .collect();
        match on.len() {
            0 => f.write_str("none"),
            n if n == total => f.write_str("all"),
            _ => f.write_str(&on.join(",")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_lists() {
        assert_eq!("all".parse(), Ok(Optimizations::ALL));
        assert_eq!("none".parse(), Ok(Optimizations::NONE));
        let o: Optimizations = "inline,stack-checks".parse().unwrap();
        assert!(o.inline && o.stack_checks && !o.fixed_state);
        assert_eq!(o.to_string(), "inline,stack-checks");
        let e = "inline,fast".parse::<Optimizations>().unwrap_err();
        assert!(e.contains("\"fast\"") && e.contains("fixed-state"), "{e}");
    }
}
