//! Reading input files: the manifest and module sources.
//!
//! Only regular files are read (a device, FIFO or socket — also behind a
//! symlink — is refused), and each kind of file has a size limit checked
//! from the file's metadata before anything is read, so `/dev/zero` or a
//! huge file never exhausts memory. A FIFO is opened without blocking, so
//! naming one never hangs.

use std::fmt;
use std::io::Read;
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::Path;

/// The largest module (`.wasm` or `.wat`) read: 1 GiB.
pub const MAX_MODULE_BYTES: u64 = 1 << 30;

/// The largest manifest read: 16 MiB.
pub const MAX_MANIFEST_BYTES: u64 = 16 << 20;

/// The largest file of a data source (`{"bytes": …}`, `{"json": …}`):
/// 256 MiB.
pub const MAX_DATA_BYTES: u64 = 256 << 20;

/// What is being read, for the limit and the message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputKind {
    Module,
    Manifest,
    Data,
}

impl InputKind {
    pub fn limit(self) -> u64 {
        match self {
            InputKind::Module => MAX_MODULE_BYTES,
            InputKind::Manifest => MAX_MANIFEST_BYTES,
            InputKind::Data => MAX_DATA_BYTES,
        }
    }

    fn plural(self) -> &'static str {
        match self {
            InputKind::Module => "modules",
            InputKind::Manifest => "manifests",
            InputKind::Data => "data sources",
        }
    }
}

/// Why an input file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("it is {what}, not a regular file")]
    NotRegular { what: &'static str },
    #[error("it is {} bytes; {} are limited to {}", size, kind.plural(), Size(kind.limit()))]
    TooLarge { size: u64, kind: InputKind },
    #[error("it is not UTF-8 text")]
    NotUtf8,
}

/// `16 MiB`, `1 GiB` (limits are whole powers of two).
struct Size(u64);

impl fmt::Display for Size {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            n if n >= 1 << 30 && n % (1 << 30) == 0 => write!(f, "{} GiB", n >> 30),
            n if n >= 1 << 20 && n % (1 << 20) == 0 => write!(f, "{} MiB", n >> 20),
            n => write!(f, "{n} bytes"),
        }
    }
}

/// A description of a file type that is not a regular file.
fn describe(ty: std::fs::FileType) -> Option<&'static str> {
    if ty.is_file() {
        None
    } else if ty.is_dir() {
        Some("a directory")
    } else if ty.is_char_device() {
        Some("a character device")
    } else if ty.is_block_device() {
        Some("a block device")
    } else if ty.is_fifo() {
        Some("a FIFO")
    } else if ty.is_socket() {
        Some("a socket")
    } else {
        Some("not a file")
    }
}

/// Check `path` (following symlinks) without opening it: it exists, is a
/// regular file and is within `kind`'s limit.
pub fn check(path: &Path, kind: InputKind) -> Result<(), ReadError> {
    let meta = std::fs::metadata(path)?;
    check_meta(&meta, kind)
}

fn check_meta(meta: &std::fs::Metadata, kind: InputKind) -> Result<(), ReadError> {
    if let Some(what) = describe(meta.file_type()) {
        return Err(ReadError::NotRegular { what });
    }
    if meta.len() > kind.limit() {
        return Err(ReadError::TooLarge {
            size: meta.len(),
            kind,
        });
    }
    Ok(())
}

/// Read all of `path`, a regular file within `kind`'s limit.
pub fn read(path: &Path, kind: InputKind) -> Result<Vec<u8>, ReadError> {
    // O_NONBLOCK: opening a FIFO would otherwise wait for a writer. It
    // changes nothing for the regular files that pass the check below.
    // O_NOCTTY: a terminal named as input must not become ours.
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)?;
    let meta = file.metadata()?;
    check_meta(&meta, kind)?;
    let limit = kind.limit();
    // The file may grow after the check: read at most one byte more than
    // the limit to notice.
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
            kind,
        });
    }
    Ok(bytes)
}

/// [`read`] for text (the manifest).
pub fn read_text(path: &Path, kind: InputKind) -> Result<String, ReadError> {
    String::from_utf8(read(path, kind)?).map_err(|_| ReadError::NotUtf8)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs::File;

    #[test]
    fn a_device_is_refused_without_reading() {
        let err = read(Path::new("/dev/zero"), InputKind::Module).expect_err("refused");
        assert_eq!(
            err.to_string(),
            "it is a character device, not a regular file"
        );
    }

    #[test]
    fn a_symlink_to_a_device_is_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let link = dir.path().join("zero.wasm");
        std::os::unix::fs::symlink("/dev/zero", &link).expect("symlink");
        assert!(matches!(
            read(&link, InputKind::Module),
            Err(ReadError::NotRegular { .. })
        ));
        assert!(matches!(
            check(&link, InputKind::Module),
            Err(ReadError::NotRegular { .. })
        ));
    }

    #[test]
    fn a_fifo_does_not_block() {
        let dir = tempfile::tempdir().expect("temp dir");
        let fifo = dir.path().join("pipe.wat");
        let status = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo runs");
        assert!(status.success());
        let err = read(&fifo, InputKind::Module).expect_err("refused");
        assert_eq!(err.to_string(), "it is a FIFO, not a regular file");
    }

    #[test]
    fn a_large_file_is_refused_from_its_size() {
        let dir = tempfile::tempdir().expect("temp dir");
        let big = dir.path().join("app.json");
        let file = File::create(&big).expect("create");
        // Sparse: no disk space used, and nothing is read.
        file.set_len(MAX_MANIFEST_BYTES + 1).expect("truncate");
        let err = read(&big, InputKind::Manifest).expect_err("refused");
        assert_eq!(
            err.to_string(),
            "it is 16777217 bytes; manifests are limited to 16 MiB"
        );
        file.set_len(MAX_MANIFEST_BYTES).expect("truncate");
        assert_eq!(
            read(&big, InputKind::Manifest).expect("at the limit").len() as u64,
            MAX_MANIFEST_BYTES
        );
    }

    #[test]
    fn sizes_read_well() {
        assert_eq!(Size(1 << 30).to_string(), "1 GiB");
        assert_eq!(Size(16 << 20).to_string(), "16 MiB");
        assert_eq!(Size(1000).to_string(), "1000 bytes");
    }
}
