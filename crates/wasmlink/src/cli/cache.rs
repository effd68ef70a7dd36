//! The build cache of `wasmlink run`: executables stored by what they were
//! built from, so running the same input again skips the build.
//!
//! An entry lives in `$XDG_CACHE_HOME/wasmlink/<key>/` (else
//! `~/.cache/wasmlink`) and holds the executable (`exe`) and `inputs.json`,
//! the files the build read with their size, modification time and BLAKE3
//! hash. The key hashes everything else the build depends on: the
//! wasmlink binary itself (its identity on disk, so a rebuilt wasmlink
//! never reuses old code), the input's canonical path and the build
//! options. A lookup re-checks every input: unchanged metadata is trusted
//! (as `make` trusts it) unless the file was modified around the time the
//! entry was made; otherwise the content hash decides.
//!
//! Entries are written to a private directory and renamed into place, so a
//! reader never sees half an entry, and the cache is trimmed to
//! [`MAX_CACHE_BYTES`] (least recently used first) after each store.

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::fs;
use std::io::Read;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// Total size the cache is trimmed to after storing an entry.
pub const MAX_CACHE_BYTES: u64 = 2 << 30;

/// How long a file must have been left alone before its metadata alone may
/// vouch for its content: two seconds cover file systems with coarse
/// timestamps, where a change within the same tick keeps the time.
const SETTLE_NS: i128 = 2_000_000_000;

/// Bumped whenever the entry layout changes.
const LAYOUT_VERSION: &str = "wasmlink-run-cache-1";

/// The cache directory, or `None` when neither `XDG_CACHE_HOME` nor `HOME`
/// says where it is.
pub fn cache_root() -> Option<PathBuf> {
    let from = |var: &str| {
        std::env::var_os(var)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    from("XDG_CACHE_HOME")
        .filter(|p| p.is_absolute())
        .or_else(|| from("HOME").map(|h| h.join(".cache")))
        .map(|p| p.join("wasmlink"))
}

/// One input file as recorded in an entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputFile {
    pub path: PathBuf,
    pub size: u64,
    pub mtime_ns: i128,
    pub ctime_ns: i128,
    pub ino: u64,
    pub dev: u64,
    /// Whether the metadata alone may vouch for the content: false when
    /// the file changed so close to the build that a later change could
    /// keep the same timestamp.
    pub settled: bool,
    pub blake3: String,
}

/// What an entry records besides the executable.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct EntryInfo {
    pub inputs: Vec<InputFile>,
    /// Whether the executable honours `WASMLINK_FLAGS`.
    pub runtime_flags: bool,
}

/// Nanoseconds since the epoch of a file's modification and change times.
fn times(meta: &fs::Metadata) -> (i128, i128) {
    let ns = |s: i64, n: i64| i128::from(s) * 1_000_000_000 + i128::from(n);
    (
        ns(meta.mtime(), meta.mtime_nsec()),
        ns(meta.ctime(), meta.ctime_nsec()),
    )
}

fn now_ns() -> i128 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as i128)
}

/// BLAKE3 of a file's content, streamed; of a directory (an embedded
/// one), its listing: each entry's name, kind and, for a symlink, target.
fn hash_file(path: &Path) -> std::io::Result<String> {
    if fs::metadata(path)?.is_dir() {
        return hash_dir(path);
    }
    let mut f = fs::File::open(path)?;
    let mut hasher = blake3::Hasher::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hasher.finalize().to_hex().to_string())
}

fn hash_dir(path: &Path) -> std::io::Result<String> {
    use std::os::unix::ffi::OsStrExt;
    let mut entries = Vec::new();
    for e in fs::read_dir(path)? {
        let e = e?;
        let kind = e.file_type()?;
        let target = if kind.is_symlink() {
            fs::read_link(e.path())?.into_os_string()
        } else {
            Default::default()
        };
        let tag: &[u8] = if kind.is_dir() {
            b"d"
        } else if kind.is_symlink() {
            b"l"
        } else {
            b"f"
        };
        entries.push((e.file_name(), tag, target));
    }
    entries.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let mut hasher = blake3::Hasher::new();
    for (name, tag, target) in &entries {
        for part in [name.as_bytes(), tag, target.as_bytes()] {
            hasher.update(&(part.len() as u64).to_le_bytes());
            hasher.update(part);
        }
    }
    Ok(hasher.finalize().to_hex().to_string())
}

impl InputFile {
    /// Record `path` as it is now. `build_started` is when the build began
    /// (ns since the epoch): a file changed after that may have been read
    /// in another state than the one hashed here.
    pub fn record(path: &Path, build_started: i128) -> Result<InputFile> {
        let meta = fs::metadata(path).with_context(|| format!("{}", path.display()))?;
        let blake3 = hash_file(path).with_context(|| format!("{}", path.display()))?;
        let (mtime_ns, ctime_ns) = times(&meta);
        let settled = ctime_ns.max(mtime_ns) < build_started - SETTLE_NS;
        Ok(InputFile {
            path: path.to_path_buf(),
            size: meta.len(),
            mtime_ns,
            ctime_ns,
            ino: meta.ino(),
            dev: meta.dev(),
            settled,
            blake3,
        })
    }

    /// Whether the file changed after `build_started` (the build may have
    /// read another version than the one recorded).
    pub fn changed_since(&self, build_started: i128) -> bool {
        self.ctime_ns.max(self.mtime_ns) >= build_started
    }

    /// Whether the file still has the recorded content. When the content
    /// hash had to decide and said yes, the record takes the file's
    /// current metadata, and may now vouch for the content by itself if
    /// the file has not changed for a while; returns whether the record
    /// changed (to be saved).
    fn check(&mut self, now_ns: i128) -> (bool, bool) {
        let Ok(meta) = fs::metadata(&self.path) else {
            return (false, false);
        };
        if meta.len() != self.size {
            return (false, false);
        }
        let (mtime_ns, ctime_ns) = times(&meta);
        let same_metadata = (mtime_ns, ctime_ns, meta.ino(), meta.dev())
            == (self.mtime_ns, self.ctime_ns, self.ino, self.dev);
        if same_metadata && self.settled {
            return (true, false);
        }
        if !hash_file(&self.path).is_ok_and(|h| h == self.blake3) {
            return (false, false);
        }
        let settled = mtime_ns.max(ctime_ns) < now_ns - SETTLE_NS;
        let refreshed = InputFile {
            mtime_ns,
            ctime_ns,
            ino: meta.ino(),
            dev: meta.dev(),
            settled,
            ..self.clone()
        };
        let changed = refreshed != *self;
        *self = refreshed;
        (true, changed)
    }
}

/// A key from everything that determines the executable apart from the
/// input files' content.
pub fn key(input: &Path, options: &[(&str, String)]) -> Result<String> {
    let mut h = blake3::Hasher::new();
    let mut field = |name: &str, value: &[u8]| {
        h.update(&(name.len() as u64).to_le_bytes());
        h.update(name.as_bytes());
        h.update(&(value.len() as u64).to_le_bytes());
        h.update(value);
    };
    field("layout", LAYOUT_VERSION.as_bytes());
    field("version", env!("CARGO_PKG_VERSION").as_bytes());
    let tool = std::env::current_exe().context("cannot locate the wasmlink executable")?;
    let meta = fs::metadata(&tool).with_context(|| format!("{}", tool.display()))?;
    let (mtime, ctime) = times(&meta);
    let identity = format!(
        "{}:{}:{}:{mtime}:{ctime}",
        meta.dev(),
        meta.ino(),
        meta.len()
    );
    field("tool", identity.as_bytes());
    let input = fs::canonicalize(input).with_context(|| format!("{}", input.display()))?;
    field("input", input.as_os_str().as_encoded_bytes());
    for (name, value) in options {
        field(name, value.as_bytes());
    }
    Ok(h.finalize().to_hex()[..32].to_string())
}

/// A cached executable whose inputs are unchanged.
pub struct Hit {
    pub exe: PathBuf,
    pub info: EntryInfo,
}

/// Look `key` up; anything unreadable or out of date is a miss.
pub fn lookup(root: &Path, key: &str) -> Option<Hit> {
    let dir = root.join(key);
    let record = dir.join("inputs.json");
    let text = fs::read(&record).ok()?;
    let mut info: EntryInfo = serde_json::from_slice(&text).ok()?;
    let exe = dir.join("exe");
    if !exe.is_file() {
        return None;
    }
    let now = now_ns();
    let mut refreshed = false;
    for input in &mut info.inputs {
        let (unchanged, changed) = input.check(now);
        if !unchanged {
            return None;
        }
        refreshed |= changed;
    }
    if refreshed {
        // Saved beside and renamed over, so a concurrent reader sees either
        // record; losing the update only costs a hash next time.
        let staged = dir.join(".inputs.json.new");
        let saved = serde_json::to_vec_pretty(&info)
            .ok()
            .is_some_and(|json| fs::write(&staged, json).is_ok());
        if !saved || fs::rename(&staged, &record).is_err() {
            let _ = fs::remove_file(&staged);
        }
    }
    // The modification time of the entry says when it was last used.
    let _ = fs::File::open(&record).and_then(|f| f.set_modified(SystemTime::now()));
    Some(Hit { exe, info })
}

/// A directory an entry is built in before it is stored. An interrupted
/// build removes it (it is registered with the link stage's cleanup).
pub struct Staging {
    pub dir: wasmlink_link::ScratchDir,
}

impl Staging {
    pub fn new(root: &Path) -> Result<Staging> {
        create_private_dir(root)?;
        let dir = wasmlink_link::ScratchDir::new_in(root, ".staging-")
            .with_context(|| format!("cannot create a directory in {}", root.display()))?;
        Ok(Staging { dir })
    }

    pub fn exe(&self) -> PathBuf {
        self.dir.path().join("exe")
    }

    /// Move the built entry into place under `key` and trim the cache.
    /// Returns the stored executable.
    pub fn store(self, root: &Path, key: &str, info: &EntryInfo) -> Result<PathBuf> {
        let json = serde_json::to_vec_pretty(info).context("cannot encode the cache entry")?;
        fs::write(self.dir.path().join("inputs.json"), json)
            .with_context(|| format!("cannot write to {}", self.dir.path().display()))?;
        let dest = root.join(key);
        // An older entry of the same key is out of date: replace it. When
        // another process stores the same key concurrently, either entry
        // will do (a failed rename removes ours).
        let _ = fs::remove_dir_all(&dest);
        let _ = self.dir.commit(|staged| fs::rename(staged, &dest));
        trim(root, MAX_CACHE_BYTES, key);
        Ok(dest.join("exe"))
    }
}

fn create_private_dir(dir: &Path) -> Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .with_context(|| format!("cannot create the cache directory {}", dir.display()))
}

/// Size of an entry directory's files.
fn entry_size(dir: &Path) -> u64 {
    fs::read_dir(dir).map_or(0, |rd| {
        rd.filter_map(|e| e.ok()?.metadata().ok())
            .map(|m| m.len())
            .sum()
    })
}

/// Remove least recently used entries until the cache holds at most
/// `limit` bytes; `keep` (the entry just stored) is never removed. Stale
/// staging directories (from interrupted builds) older than an hour go too.
pub fn trim(root: &Path, limit: u64, keep: &str) {
    let Ok(rd) = fs::read_dir(root) else { return };
    let mut entries = Vec::new();
    let mut total = 0;
    for e in rd.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let path = e.path();
        if name.starts_with(".staging-") {
            let old = e
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age > Duration::from_secs(3600));
            if old {
                let _ = fs::remove_dir_all(&path);
            }
            continue;
        }
        let used = fs::metadata(path.join("inputs.json"))
            .and_then(|m| m.modified())
            .unwrap_or(SystemTime::UNIX_EPOCH);
        let size = entry_size(&path);
        total += size;
        if name != keep {
            entries.push((used, size, path));
        }
    }
    entries.sort();
    for (_, size, path) in entries {
        if total <= limit {
            break;
        }
        if fs::remove_dir_all(&path).is_ok() {
            total -= size;
        }
    }
}

/// When a build begins, for [`InputFile::record`].
pub fn build_start() -> i128 {
    now_ns()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_input_is_a_miss() {
        let root = tempfile::tempdir().unwrap();
        let src = root.path().join("m.wat");
        fs::write(&src, "(module)").unwrap();
        let started = build_start();
        let staging = Staging::new(root.path()).unwrap();
        fs::write(staging.exe(), b"exe").unwrap();
        let input = InputFile::record(&src, started).unwrap();
        // Written just now: not settled, so the hash is checked every time.
        assert!(!input.settled);
        let info = EntryInfo {
            inputs: vec![input],
            runtime_flags: true,
        };
        let exe = staging.store(root.path(), "k", &info).unwrap();
        assert_eq!(fs::read(&exe).unwrap(), b"exe");
        assert!(lookup(root.path(), "k").is_some());
        assert!(lookup(root.path(), "other").is_none());
        // Same size, different content, metadata restored: the hash decides.
        let mtime = fs::metadata(&src).unwrap().modified().unwrap();
        fs::write(&src, "(madule)").unwrap();
        fs::File::open(&src).unwrap().set_modified(mtime).unwrap();
        assert!(lookup(root.path(), "k").is_none());
        fs::write(&src, "(module)").unwrap();
        assert!(lookup(root.path(), "k").is_some());
        fs::remove_file(&src).unwrap();
        assert!(lookup(root.path(), "k").is_none());
    }

    /// An embedded directory is an input too: a name added, removed or
    /// a link retargeted in it is a miss, whatever its metadata says.
    #[test]
    fn a_changed_directory_is_a_miss() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("assets");
        fs::create_dir(&dir).unwrap();
        fs::write(dir.join("a"), b"1").unwrap();
        std::os::unix::fs::symlink("a", dir.join("l")).unwrap();
        let mut input = InputFile::record(&dir, build_start()).unwrap();
        assert_eq!(input.check(now_ns()), (true, false));
        let restore = |input: &InputFile| {
            let t = std::time::UNIX_EPOCH + Duration::from_nanos(input.mtime_ns as u64);
            fs::File::open(&dir).unwrap().set_modified(t).unwrap();
        };
        fs::remove_file(dir.join("l")).unwrap();
        std::os::unix::fs::symlink("b", dir.join("l")).unwrap();
        restore(&input);
        assert!(!input.check(now_ns()).0, "a link retargeted");
        fs::remove_file(dir.join("l")).unwrap();
        std::os::unix::fs::symlink("a", dir.join("l")).unwrap();
        assert!(input.check(now_ns()).0, "the same listing again");
        fs::write(dir.join("b"), b"2").unwrap();
        restore(&input);
        assert!(!input.check(now_ns()).0, "a name added");
    }

    #[test]
    fn a_file_left_alone_becomes_settled() {
        let root = tempfile::tempdir().unwrap();
        let src = root.path().join("m.wat");
        fs::write(&src, "(module)").unwrap();
        let started = build_start();
        let staging = Staging::new(root.path()).unwrap();
        fs::write(staging.exe(), b"exe").unwrap();
        let info = EntryInfo {
            inputs: vec![InputFile::record(&src, started).unwrap()],
            runtime_flags: true,
        };
        staging.store(root.path(), "k", &info).unwrap();
        // A lookup 20 s from now: the record was not settled, so the hash
        // decides, and the record becomes settled with the new times.
        let old = SystemTime::now() - Duration::from_secs(60);
        fs::File::open(&src).unwrap().set_modified(old).unwrap();
        let mut input = info.inputs[0].clone();
        let (unchanged, changed) = input.check(now_ns() + 10 * SETTLE_NS);
        assert!(unchanged && changed && input.settled);
        let (unchanged, changed) = input.check(now_ns() + 10 * SETTLE_NS);
        assert!(unchanged && !changed);
        // A lookup now: the new modification time is saved (not settled
        // yet: the change time is recent).
        let hit = lookup(root.path(), "k").unwrap();
        assert!(!hit.info.inputs[0].settled);
        assert_eq!(hit.info.inputs[0].mtime_ns, input.mtime_ns);
        let saved: EntryInfo =
            serde_json::from_slice(&fs::read(root.path().join("k/inputs.json")).unwrap()).unwrap();
        assert_eq!(saved.inputs[0].mtime_ns, input.mtime_ns);
    }

    #[test]
    fn a_corrupt_entry_is_a_miss() {
        let root = tempfile::tempdir().unwrap();
        fs::create_dir(root.path().join("k")).unwrap();
        fs::write(root.path().join("k/inputs.json"), "{").unwrap();
        fs::write(root.path().join("k/exe"), "x").unwrap();
        assert!(lookup(root.path(), "k").is_none());
    }

    #[test]
    fn trimming_removes_least_recently_used() {
        let root = tempfile::tempdir().unwrap();
        for (i, name) in ["a", "b", "c"].iter().enumerate() {
            let d = root.path().join(name);
            fs::create_dir(&d).unwrap();
            fs::write(d.join("exe"), vec![0u8; 1000]).unwrap();
            fs::write(d.join("inputs.json"), "{}").unwrap();
            let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1000 + i as u64);
            fs::File::open(d.join("inputs.json"))
                .unwrap()
                .set_modified(t)
                .unwrap();
        }
        // "a" is the oldest but is the one being kept; "b" goes first.
        trim(root.path(), 2100, "a");
        assert!(root.path().join("a").exists());
        assert!(!root.path().join("b").exists());
        assert!(root.path().join("c").exists());
    }

    #[test]
    fn keys_depend_on_options_and_input() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.wat");
        let b = dir.path().join("b.wat");
        fs::write(&a, "").unwrap();
        fs::write(&b, "").unwrap();
        let k = |p: &Path, link: &str| key(p, &[("link", link.to_string())]).unwrap();
        assert_eq!(k(&a, "static"), k(&a, "static"));
        assert_ne!(k(&a, "static"), k(&a, "dynamic"));
        assert_ne!(k(&a, "static"), k(&b, "static"));
    }
}
