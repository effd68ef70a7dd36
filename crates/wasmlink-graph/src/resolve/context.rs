//! Where an error happens: the head of every resolution message.
//!
//! A [`Ctx`] is made once per question (an instance's import, the entry, a
//! facade binding) and carries it down through lookups and facades, so
//! that a failure deep inside says which import it was resolving
//! (`instance "main" (app.wat) imports "env" "add" (mapped to "math"): …`)
//! and becomes the right [`GraphError`] variant.

use crate::error::GraphError;
use std::path::PathBuf;

/// Where an error happens, for messages.
#[derive(Clone, Debug)]
pub(crate) struct Ctx {
    kind: CtxKind,
    /// `instance "main" (app.wasm) imports "env" "add"`.
    head: String,
    /// `instance "main" (app.wasm) imports module "env"`.
    module_head: String,
    /// ` (mapped to "math")`, when rule 1 applied.
    mapped: String,
}

#[derive(Clone, Debug)]
enum CtxKind {
    Import {
        instance: String,
        file: Option<PathBuf>,
        module: String,
        name: String,
    },
    Entry(String),
    Facade(String),
}

impl Ctx {
    pub(super) fn import(
        desc: &str,
        instance: &str,
        file: Option<PathBuf>,
        module: &str,
        name: &str,
    ) -> Ctx {
        Ctx {
            kind: CtxKind::Import {
                instance: instance.to_string(),
                file,
                module: module.to_string(),
                name: name.to_string(),
            },
            head: format!("{desc} imports \"{module}\" \"{name}\""),
            module_head: format!("{desc} imports module \"{module}\""),
            mapped: String::new(),
        }
    }

    pub(super) fn entry(text: &str) -> Ctx {
        let head = format!("entry \"{text}\"");
        Ctx {
            kind: CtxKind::Entry(text.to_string()),
            module_head: head.clone(),
            head,
            mapped: String::new(),
        }
    }

    pub(super) fn facade(facade: &str, head: String) -> Ctx {
        Ctx {
            kind: CtxKind::Facade(facade.to_string()),
            module_head: head.clone(),
            head,
            mapped: String::new(),
        }
    }

    pub(super) fn with_mapped(&self, mapped: &str) -> Ctx {
        let mut c = self.clone();
        c.mapped = mapped.to_string();
        c
    }

    pub(super) fn head(&self) -> String {
        format!("{}{}", self.head, self.mapped)
    }

    pub(super) fn module_head(&self) -> String {
        format!("{}{}", self.module_head, self.mapped)
    }

    /// An error with a complete message.
    pub(super) fn plain(&self, message: String) -> GraphError {
        match &self.kind {
            CtxKind::Import {
                instance,
                file,
                module,
                name,
            } => GraphError::Link {
                instance: instance.clone(),
                file: file.clone(),
                module: module.clone(),
                name: name.clone(),
                message,
            },
            CtxKind::Entry(entry) => GraphError::Entry {
                entry: entry.clone(),
                message,
            },
            CtxKind::Facade(facade) => GraphError::Facade {
                facade: facade.clone(),
                message,
            },
        }
    }

    /// `{head}: {problem}`.
    pub(super) fn err(&self, problem: String) -> GraphError {
        self.plain(format!("{}: {problem}", self.head()))
    }

    /// `{module head}: {problem}`.
    pub(super) fn module_err(&self, problem: String) -> GraphError {
        self.plain(format!("{}: {problem}", self.module_head()))
    }
}
