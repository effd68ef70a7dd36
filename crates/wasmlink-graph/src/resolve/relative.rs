//! Rule 4: relative specifiers (`./lib.wasm`, `../util/x.wat`).
//!
//! A relative specifier is a file name, and only a module file may be
//! named: the specifier must end in `.wasm` or `.wat`, and the file must lie
//! inside the entry's directory tree — the manifest's directory, or the
//! main module's for a manifest-less build. The tree is checked twice:
//! lexically first (`..` components folded, before the file system is
//! asked anything, so a path leading outside is refused without learning
//! whether it exists), then on the canonical path (symlinks followed).
//! Messages name the importer, its file and the import, never anything
//! read from the file named.

use super::context::Ctx;
use super::nodes::{NodeId, SourceRef};
use super::resolver::Resolver;
use crate::error::GraphError;
use crate::sources::{load_located, locate};
use indexmap::IndexMap;
use std::path::{Component, Path, PathBuf};

impl Resolver {
    /// The implicit instance of the file `spec` next to `dir` (one per
    /// canonical path). With `probe`, a specifier that names no module
    /// file is `None` instead of an error.
    pub(super) fn relative(
        &mut self,
        dir: &Path,
        spec: &str,
        probe: bool,
        ctx: &Ctx,
    ) -> Result<Option<NodeId>, GraphError> {
        if !names_module_file(Path::new(spec)) {
            if probe {
                return Ok(None);
            }
            return Err(ctx.err(
                "expected a relative specifier naming a .wasm or .wat file; this one has another extension"
                    .to_string(),
            ));
        }
        let (root, what) = self.tree_root()?;
        let outside = |how: &str| {
            ctx.err(format!(
                "expected a .wasm or .wat file inside {} ({what}); this relative specifier leads outside it{how}",
                root.display()
            ))
        };
        if !lexical(&dir.join(spec)).starts_with(lexical(&self.base_or_dot())) {
            return Err(outside(""));
        }
        let mut file = match locate(&ctx.module_head(), spec, dir) {
            Ok(file) => file,
            Err(_) if probe => return Ok(None),
            Err(e) => return Err(e),
        };
        if !file.canonical.starts_with(&root) {
            return Err(outside(" through a symlink"));
        }
        if !names_module_file(&file.canonical) {
            return Err(ctx.err(
                "expected a .wasm or .wat file; this relative specifier leads (through a symlink) to a file with another extension"
                    .to_string(),
            ));
        }
        let canonical = file.canonical.clone();
        if let Some(&n) = self.node_by_path.get(&canonical) {
            return Ok(Some(n));
        }
        // The file's own relative specifiers start from where it really
        // is, so the lexical check above sees what the file system will.
        file.path = canonical.clone();
        let label = match canonical.strip_prefix(&root) {
            Ok(rel) => rel.display().to_string(),
            Err(_) => canonical.display().to_string(),
        };
        let name = self.unique_name(&label);
        let source = match self.source_by_path.get(&canonical) {
            Some(&s) => s,
            None => {
                let s = load_located(file, &name, label)?;
                let idx = self.sources.len();
                self.sources.push(s);
                self.source_by_path.insert(canonical.clone(), idx);
                idx
            }
        };
        let source_name = self.sources[source].name.clone();
        let n = self.add_node(
            &name,
            &source_name,
            &SourceRef::Real(source),
            IndexMap::new(),
            false,
        );
        self.node_by_path.insert(canonical, n);
        Ok(Some(n))
    }

    fn base_or_dot(&self) -> PathBuf {
        match self.base_dir.as_os_str().is_empty() {
            true => PathBuf::from("."),
            false => self.base_dir.clone(),
        }
    }

    /// The directory tree relative specifiers must stay in (canonical),
    /// and how messages describe it.
    pub(super) fn tree_root(&mut self) -> Result<(PathBuf, &'static str), GraphError> {
        let what = match self.manifest_path {
            Some(_) => "the manifest's directory",
            None => "the main module's directory",
        };
        if let Some(root) = &self.root {
            return Ok((root.clone(), what));
        }
        let base = self.base_or_dot();
        let root = std::fs::canonicalize(&base).map_err(|error| GraphError::ReadInput {
            path: base,
            error: error.into(),
        })?;
        self.root = Some(root.clone());
        Ok((root, what))
    }
}

/// Whether `path` names a module file: `.wasm` or `.wat` (any case).
fn names_module_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("wasm") || e.eq_ignore_ascii_case("wat"))
}

/// `path` made absolute with `.` and `..` folded away, without asking the
/// file system (so symlinks are not followed).
fn lexical(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for part in absolute.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_files_are_wasm_or_wat() {
        for yes in ["./a.wasm", "../b.WAT", "./x/y.Wasm"] {
            assert!(names_module_file(Path::new(yes)), "{yes}");
        }
        for no in [
            "./a",
            "./etc/hostname",
            "./a.wasm.txt",
            "./.wasm",
            "./a.json",
        ] {
            assert!(!names_module_file(Path::new(no)), "{no}");
        }
    }

    #[test]
    fn lexical_folds_dots() {
        assert_eq!(lexical(Path::new("/a/b/./../c")), PathBuf::from("/a/c"));
        assert_eq!(lexical(Path::new("/a/../../../etc")), PathBuf::from("/etc"));
        assert!(lexical(Path::new("/a/b/../../x.wasm")).starts_with("/"));
        assert!(!lexical(Path::new("/r/./../x.wasm")).starts_with("/r"));
        assert!(lexical(Path::new("/r/lib/../x.wasm")).starts_with("/r"));
    }

    #[test]
    fn a_relative_file_reuses_a_declared_source_but_not_its_instance() {
        let g = crate::resolve_cases::load(
            "rule4_relative_file_reuses_a_declared_source_but_not_its_instance",
        );
        // Two instances of math.wat, one source (compiled once).
        assert_eq!(g.graph.instances.len(), 3);
        assert_eq!(g.graph.sources.len(), 2);
    }
}
