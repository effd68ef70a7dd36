//! Embedded files (`wasi.embed`, `wasmlink build --embed`): the host
//! directories and files a build packs into the executable, read here,
//! at build time, into the trees of [`Embedded`]. The compile stage
//! names them in the WASI configuration; the pipeline writes their
//! contents into the assets object (format: `wasmlink_abi::embed`).
//!
//! Walking a tree reads names and metadata only (file contents are
//! streamed when the object is written), never follows a link inside
//! it, and refuses what a read-only directory of the program could not
//! show faithfully, naming the host path:
//!
//! * anything but regular files, directories and symbolic links
//!   (sockets, FIFOs, devices);
//! * a name that is not UTF-8 (WASI 0.2 lists names as strings);
//! * a symbolic link whose target is absolute or, read as written from
//!   where the link is, leads out of the embedded directory. Links are
//!   kept as links and resolved by the program inside its tree; one that
//!   leaves only through other links is refused when followed, as in a
//!   preopened directory, so nothing outside the tree is ever read, at
//!   build time or at run time;
//! * a path inside the tree of 4096 bytes or more (the program could not
//!   name it);
//! * more than `wasmlink_abi::embed::MAX_NODES` entries, or more than
//!   `MAX_BLOB` bytes in all.
//!
//! The top-level host path may be a link (it is followed). A directory
//! becomes a preopened directory named after its guest path; a file
//! `"/etc/app.conf": "app.conf"` becomes the only entry, `app.conf`, of a
//! preopened directory `/etc` (files embedded under one guest directory
//! share it).

use crate::error::GraphError;
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::FileTypeExt;
use std::path::{Path, PathBuf};
use wasmlink_abi::embed::{
    layout, valid_name, TreeKind, TreeNode, FILE_ALIGN, MAX_BLOB, MAX_NODES, MAX_TARGET, NODE_SIZE,
};

/// Guest paths inside a tree must be shorter than this (Linux's
/// `PATH_MAX`, as the runtime's path resolution).
const PATH_MAX: usize = 4096;

/// A file to embed: where the builder reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostFile {
    pub path: PathBuf,
    /// Whether a link at `path` is followed: only for a file embedded by
    /// itself (the top-level path); a file inside an embedded directory
    /// was a regular file when the directory was read and must still be
    /// one, not a link, when it is copied.
    pub follow: bool,
}

/// One preopened directory made of embedded files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmbeddedDir {
    /// Its guest path (the preopen's name).
    pub guest: String,
    /// Its contents: a [`TreeKind::Dir`].
    pub tree: TreeKind<HostFile>,
    /// The embeds it was made of: guest path, host path (as read).
    pub from: Vec<(String, PathBuf)>,
    /// Regular files, directories (itself included) and symlinks in it.
    pub files: u64,
    pub dirs: u64,
    pub links: u64,
    /// Bytes of file contents.
    pub bytes: u64,
}

/// Everything a program embeds, one tree per preopened directory, in
/// the order their embeds first appear; tree `k` is tree `k` of the blob.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Embedded {
    pub dirs: Vec<EmbeddedDir>,
    /// Every host path read: each embedded directory and file (links
    /// belong to their directory).
    pub read: Vec<PathBuf>,
    /// The length of the blob that holds them (0 when there are none).
    pub blob_len: u64,
}

impl Embedded {
    pub fn is_empty(&self) -> bool {
        self.dirs.is_empty()
    }

    /// The trees, in blob order.
    pub fn trees(&self) -> Vec<&TreeKind<HostFile>> {
        self.dirs.iter().map(|d| &d.tree).collect()
    }
}

/// One embed to read: `guest` path and the `host` path the build reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmbedSource {
    pub guest: String,
    pub host: PathBuf,
}

/// What the walk has used up of the blob's limits.
#[derive(Default)]
struct Budget {
    nodes: u64,
    bytes: u64,
}

/// The kind of a host entry that cannot be embedded, for messages.
fn unsupported_kind(ft: &fs::FileType) -> &'static str {
    if ft.is_socket() {
        "a socket"
    } else if ft.is_fifo() {
        "a FIFO"
    } else if ft.is_char_device() {
        "a character device"
    } else if ft.is_block_device() {
        "a block device"
    } else {
        "neither a regular file, a directory nor a symbolic link"
    }
}

/// Whether `target`, followed from a directory `depth` levels below the
/// root, leaves the root when read as written.
fn leaves_root(target: &[u8], depth: usize) -> bool {
    let mut level = depth as isize;
    for c in target.split(|&b| b == b'/') {
        match c {
            b"" | b"." => {}
            b".." => {
                level -= 1;
                if level < 0 {
                    return true;
                }
            }
            _ => level += 1,
        }
    }
    false
}

/// The walk of one embed.
struct Walk<'a> {
    guest: &'a str,
    budget: &'a mut Budget,
    read: &'a mut Vec<PathBuf>,
    counts: [u64; 4],
}

impl Walk<'_> {
    fn error(&self, path: &Path, problem: impl Into<String>) -> GraphError {
        GraphError::Embed {
            guest: self.guest.to_string(),
            path: path.to_path_buf(),
            problem: problem.into(),
        }
    }

    /// Count one node named `name` (plus `extra` bytes of contents or
    /// target) against the limits.
    fn spend(&mut self, path: &Path, name_len: usize, extra: u64) -> Result<(), GraphError> {
        self.budget.nodes += 1;
        if self.budget.nodes > u64::from(MAX_NODES) {
            return Err(self.error(
                path,
                format!("more than {MAX_NODES} entries cannot be embedded"),
            ));
        }
        let cost = (NODE_SIZE + name_len) as u64 + extra.div_ceil(FILE_ALIGN) * FILE_ALIGN;
        self.budget.bytes = self.budget.bytes.saturating_add(cost);
        if self.budget.bytes > MAX_BLOB {
            return Err(self.error(
                path,
                format!(
                    "the embedded files would exceed {} MiB in all",
                    MAX_BLOB >> 20
                ),
            ));
        }
        Ok(())
    }

    /// The entries of directory `path`, `depth` levels below the root,
    /// whose guest path below the root is `rel_len` bytes long.
    fn dir(
        &mut self,
        path: &Path,
        depth: usize,
        rel_len: usize,
    ) -> Result<Vec<TreeNode<HostFile>>, GraphError> {
        self.counts[1] += 1;
        let io = |e: std::io::Error| self.error(path, format!("cannot read it: {e}"));
        let mut names = Vec::new();
        for entry in fs::read_dir(path).map_err(io)? {
            let entry = entry.map_err(|e| self.error(path, format!("cannot read it: {e}")))?;
            names.push(entry.file_name());
        }
        // Sorted here so that errors, like the result, come in an order
        // that does not depend on the file system.
        names.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
        let mut out = Vec::with_capacity(names.len());
        for name in names {
            let p = path.join(&name);
            let Some(text) = name.to_str() else {
                return Err(self.error(&p, "its name is not UTF-8, which WASI cannot show"));
            };
            if !valid_name(text.as_bytes()) {
                return Err(self.error(&p, "its name cannot be an entry's name"));
            }
            let rel = rel_len + 1 + text.len();
            if rel >= PATH_MAX {
                return Err(self.error(
                    &p,
                    format!("its path inside the embedded directory is {PATH_MAX} bytes or more"),
                ));
            }
            out.push(TreeNode {
                name: text.as_bytes().to_vec(),
                kind: self.entry(&p, text.len(), depth, rel)?,
            });
        }
        Ok(out)
    }

    /// The entry at `path` (not followed if a link), whose name is
    /// `name_len` bytes, in a directory `depth` levels below the root.
    fn entry(
        &mut self,
        path: &Path,
        name_len: usize,
        depth: usize,
        rel_len: usize,
    ) -> Result<TreeKind<HostFile>, GraphError> {
        let meta = fs::symlink_metadata(path)
            .map_err(|e| self.error(path, format!("cannot read it: {e}")))?;
        let ft = meta.file_type();
        if !ft.is_symlink() {
            // A link is part of its directory's listing, which records
            // its target (a build cache sees the link change with it).
            self.read.push(path.to_path_buf());
        }
        if ft.is_file() {
            self.spend(path, name_len, meta.len())?;
            self.counts[0] += 1;
            self.counts[3] += meta.len();
            Ok(TreeKind::File {
                size: meta.len(),
                source: HostFile {
                    path: path.to_path_buf(),
                    follow: false,
                },
            })
        } else if ft.is_dir() {
            self.spend(path, name_len, 0)?;
            Ok(TreeKind::Dir(self.dir(path, depth + 1, rel_len)?))
        } else if ft.is_symlink() {
            let target = fs::read_link(path)
                .map_err(|e| self.error(path, format!("cannot read the link: {e}")))?;
            let Some(text) = target.to_str() else {
                return Err(self.error(path, "its target is not UTF-8, which WASI cannot show"));
            };
            let shown = format!("symbolic link to \"{text}\"");
            if text.is_empty() || text.len() > MAX_TARGET || text.contains('\0') {
                return Err(self.error(path, format!("{shown}: the target cannot be embedded")));
            }
            if text.starts_with('/') {
                return Err(self.error(
                    path,
                    format!("{shown}: an absolute target cannot be embedded (only links that stay inside the embedded directory)"),
                ));
            }
            if leaves_root(text.as_bytes(), depth) {
                return Err(self.error(
                    path,
                    format!("{shown}: the target leads outside the embedded directory"),
                ));
            }
            self.spend(path, name_len, text.len() as u64)?;
            self.counts[2] += 1;
            Ok(TreeKind::Symlink(text.as_bytes().to_vec()))
        } else {
            Err(self.error(
                path,
                format!(
                    "it is {}; only regular files, directories and symbolic links can be embedded",
                    unsupported_kind(&ft)
                ),
            ))
        }
    }
}

/// The preopened directory and the name a file embedded as `guest` gets:
/// `/etc/app.conf` → (`/etc`, `app.conf`), `x` → (`.`, `x`).
fn split_file_guest(guest: &str) -> Option<(String, String)> {
    let (dir, name) = match guest.rfind('/') {
        Some(0) => ("/", &guest[1..]),
        Some(i) => (&guest[..i], &guest[i + 1..]),
        None => (".", guest),
    };
    valid_name(name.as_bytes()).then(|| (dir.to_string(), name.to_string()))
}

/// Read every embed of `sources`, in order; `preopens` are the guest
/// paths of the program's preopened host directories, which an embed may
/// not take.
pub fn read_embeds(sources: &[EmbedSource], preopens: &[String]) -> Result<Embedded, GraphError> {
    let mut out = Embedded::default();
    let mut budget = Budget::default();
    // Which embeds made each directory a whole directory (not files).
    let mut whole: Vec<bool> = Vec::new();
    for src in sources {
        let err = |problem: String| GraphError::Embed {
            guest: src.guest.clone(),
            path: src.host.clone(),
            problem,
        };
        if src.guest.is_empty() || src.host.as_os_str().is_empty() {
            return Err(err("neither path may be empty".into()));
        }
        let meta = fs::metadata(&src.host).map_err(|e| err(format!("cannot read it: {e}")))?;
        let mut walk = Walk {
            guest: &src.guest,
            budget: &mut budget,
            read: &mut out.read,
            counts: [0; 4],
        };
        let (guest, entry, is_dir) = if meta.is_dir() {
            walk.read.push(src.host.clone());
            walk.spend(&src.host, 0, 0)?;
            let tree = TreeKind::Dir(walk.dir(&src.host, 0, 0)?);
            (src.guest.clone(), tree, true)
        } else if meta.is_file() {
            let Some((dir, name)) = split_file_guest(&src.guest) else {
                return Err(err(
                    "a file is embedded under a guest path that ends with a file name".into(),
                ));
            };
            walk.read.push(src.host.clone());
            walk.spend(&src.host, name.len(), meta.len())?;
            walk.counts[0] += 1;
            walk.counts[3] += meta.len();
            let node = TreeNode {
                name: name.into_bytes(),
                kind: TreeKind::File {
                    size: meta.len(),
                    source: HostFile {
                        path: src.host.clone(),
                        follow: true,
                    },
                },
            };
            (dir, TreeKind::Dir(vec![node]), false)
        } else {
            return Err(err(format!(
                "it is {}; only regular files and directories can be embedded",
                unsupported_kind(&meta.file_type())
            )));
        };
        let counts = walk.counts;
        if preopens.contains(&guest) {
            return Err(err(format!(
                "the preopened directory \"{guest}\" is already a host directory (wasi.preopens)"
            )));
        }
        match out.dirs.iter().position(|d| d.guest == guest) {
            Some(k) => {
                let d = &mut out.dirs[k];
                let (TreeKind::Dir(have), TreeKind::Dir(add)) = (&mut d.tree, entry) else {
                    return Err(err("an embedded tree's root is not a directory".into()));
                };
                if whole[k] || is_dir {
                    return Err(err(format!(
                        "the preopened directory \"{guest}\" is also made by embedding \"{}\"",
                        d.from[0].0
                    )));
                }
                for n in add {
                    if have.iter().any(|h| h.name == n.name) {
                        return Err(err(format!(
                            "\"{}\" is embedded twice in \"{guest}\"",
                            String::from_utf8_lossy(&n.name)
                        )));
                    }
                    have.push(n);
                }
                d.from.push((src.guest.clone(), src.host.clone()));
                d.files += counts[0];
                d.links += counts[2];
                d.bytes += counts[3];
            }
            None => {
                if !is_dir {
                    // The directory made for files is a node too.
                    budget.nodes += 1;
                }
                whole.push(is_dir);
                out.dirs.push(EmbeddedDir {
                    guest,
                    tree: entry,
                    from: vec![(src.guest.clone(), src.host.clone())],
                    files: counts[0],
                    dirs: counts[1].max(1),
                    links: counts[2],
                    bytes: counts[3],
                });
            }
        }
    }
    if !out.is_empty() {
        // Every rule of the format was checked above with the host path
        // at hand; this is the last word on the limits.
        out.blob_len = layout(&out.trees())
            .map_err(|e| GraphError::Embed {
                guest: out.dirs[0].guest.clone(),
                path: out.dirs[0].from[0].1.clone(),
                problem: e.to_string(),
            })?
            .len;
    }
    Ok(out)
}

#[cfg(test)]
#[path = "embed_tests.rs"]
mod tests;
