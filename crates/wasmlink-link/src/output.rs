//! Where the executable goes, and how it gets there.
//!
//! The rules follow what `cc -o OUT` does, minus its accidents:
//!
//! - a new file, or an existing regular file, is replaced atomically: the
//!   linked executable is renamed over it (on another file system: copied
//!   to a temporary file beside it, `.wasmlink-*`, registered for cleanup,
//!   and renamed from there). Its mode is
//!   `0777 & ~umask`, as `cc` gives a new file and any non-empty existing
//!   one (the old mode is not kept). A symlink named as output is replaced,
//!   not followed, as `cc` does;
//! - an existing device or FIFO (`-o /dev/null`) is opened and written
//!   through, never replaced or renamed over; its mode is left alone;
//! - a directory or a socket is an error;
//! - an output that is one of the build's input files (the same inode, by
//!   whatever path or symlink) is refused before anything is written.

use crate::cleanup::TempPath;
use crate::LinkError;
use std::fs::{File, Metadata, OpenOptions};
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// A checked output path.
#[derive(Clone, Debug)]
pub struct Destination {
    path: PathBuf,
    /// (device, inode, path) of every input file that exists.
    inputs: Vec<(u64, u64, PathBuf)>,
}

/// How the executable reaches the destination.
#[derive(Debug, PartialEq, Eq)]
enum Method {
    /// Written to a temporary file in `dir`, renamed over the output.
    Replace { dir: PathBuf },
    /// The existing device or FIFO is opened and written.
    WriteThrough,
}

impl Destination {
    /// Check `path` as the output of a build that reads `inputs`: its
    /// directory exists, it is not a directory, a socket or one of the
    /// inputs. The same checks run again when the executable is written,
    /// since the file system may change while the program compiles.
    pub fn check(path: &Path, inputs: &[PathBuf]) -> Result<Destination, LinkError> {
        let inputs = inputs
            .iter()
            .filter_map(|p| {
                let m = std::fs::metadata(p).ok()?;
                Some((m.dev(), m.ino(), p.clone()))
            })
            .collect();
        let destination = Destination {
            path: path.to_path_buf(),
            inputs,
        };
        destination.method()?;
        Ok(destination)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn method(&self) -> Result<Method, LinkError> {
        let path = &self.path;
        match std::fs::metadata(path) {
            Ok(meta) => {
                self.check_not_input(&meta)?;
                let ty = meta.file_type();
                if ty.is_dir() {
                    Err(LinkError::BadOutput {
                        path: path.clone(),
                        problem: "it is a directory".into(),
                    })
                } else if ty.is_socket() {
                    Err(LinkError::BadOutput {
                        path: path.clone(),
                        problem: "it is a socket, which cannot be written".into(),
                    })
                } else if ty.is_file() {
                    Ok(Method::Replace { dir: parent(path) })
                } else {
                    Ok(Method::WriteThrough)
                }
            }
            // Nothing there, or a dangling symlink: a new file.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let dir = parent(path);
                if !dir.is_dir() {
                    return Err(LinkError::NoOutputDir { dir });
                }
                Ok(Method::Replace { dir })
            }
            Err(error) => Err(LinkError::Io {
                path: path.clone(),
                error,
            }),
        }
    }

    fn check_not_input(&self, meta: &Metadata) -> Result<(), LinkError> {
        match self
            .inputs
            .iter()
            .find(|(dev, ino, _)| *dev == meta.dev() && *ino == meta.ino())
        {
            Some((_, _, input)) => Err(LinkError::OutputIsInput {
                output: self.path.clone(),
                input: input.clone(),
            }),
            None => Ok(()),
        }
    }

    /// Put the executable `built` (a finished file) at the destination.
    pub(crate) fn install(&self, built: &Path) -> Result<(), LinkError> {
        match self.method()? {
            Method::Replace { dir } => self.replace(built, &dir),
            Method::WriteThrough => {
                let mut to = OpenOptions::new()
                    .write(true)
                    .open(&self.path)
                    .map_err(self.io())?;
                copy_file(built, &mut to).map_err(self.io())
            }
        }
    }

    fn replace(&self, built: &Path, dir: &Path) -> Result<(), LinkError> {
        // The linker's output is complete, has the mode `cc` gives (0777
        // less the umask) and no descriptor of this process refers to it:
        // moving it is atomic. A copy would hold a writable descriptor here
        // for a while, and a child forked meanwhile by another thread keeps
        // it until its exec, so a caller running the executable at once
        // (the spec harness builds and runs scripts in parallel) could
        // meet ETXTBSY. Only across file systems is it copied.
        if let Some(umask) = process_umask() {
            let mode = std::fs::Permissions::from_mode(0o777 & !umask);
            std::fs::set_permissions(built, mode).map_err(self.io())?;
            match std::fs::rename(built, &self.path) {
                Ok(()) => return Ok(()),
                Err(e) if e.raw_os_error() == Some(libc::EXDEV) => {}
                Err(e) => return Err(self.io()(e)),
            }
        }
        let dir_error = |error| LinkError::Io {
            path: dir.to_path_buf(),
            error: crate::plain(error),
        };
        // Created with mode 0777: the kernel applies the umask, as for the
        // file `cc` creates.
        let (mut file, staged) = TempPath::create(|| {
            tempfile::Builder::new()
                .prefix(".wasmlink-")
                .permissions(std::fs::Permissions::from_mode(0o777))
                .tempfile_in(dir)?
                .keep()
                .map_err(|e| e.error)
        })
        .map_err(dir_error)?;
        copy_file(built, &mut file).map_err(dir_error)?;
        drop(file);
        staged
            .commit(|from| std::fs::rename(from, &self.path))
            .map_err(self.io())
    }

    fn io(&self) -> impl FnOnce(std::io::Error) -> LinkError + '_ {
        |error| LinkError::Io {
            path: self.path.clone(),
            error: crate::plain(error),
        }
    }
}

/// The process's file mode creation mask, from `/proc/self/status` (the
/// `umask` call can only read it by changing it, which races with other
/// threads creating files).
fn process_umask() -> Option<u32> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find_map(|l| l.strip_prefix("Umask:"))?;
    u32::from_str_radix(line.trim(), 8).ok()
}

/// Copy the contents of `from` into `to` (never its permissions, unlike
/// `std::fs::copy`).
fn copy_file(from: &Path, to: &mut File) -> std::io::Result<()> {
    let mut source = File::open(from)?;
    std::io::copy(&mut source, to)?;
    Ok(())
}

fn parent(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn umask() -> u32 {
        // /proc/self/status has the umask since Linux 4.7; reading it does
        // not change it (unlike umask(2)), which matters in a test binary
        // that runs tests on several threads.
        let status = std::fs::read_to_string("/proc/self/status").expect("proc");
        let line = status
            .lines()
            .find_map(|l| l.strip_prefix("Umask:"))
            .expect("Umask line");
        u32::from_str_radix(line.trim(), 8).expect("octal")
    }

    fn built(dir: &Path) -> PathBuf {
        let p = dir.join("built");
        std::fs::write(&p, b"\x7fELF executable").expect("write");
        p
    }

    #[test]
    fn a_new_file_gets_0777_minus_umask() {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("app");
        let dest = Destination::check(&out, &[]).expect("fine");
        dest.install(&built(dir.path())).expect("installed");
        let mode = std::fs::metadata(&out).expect("stat").mode() & 0o7777;
        assert_eq!(mode, 0o777 & !umask());
        assert_eq!(std::fs::read(&out).expect("read"), b"\x7fELF executable");
    }

    #[test]
    fn an_existing_file_is_replaced_with_a_new_mode() {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("app");
        std::fs::write(&out, b"old").expect("write");
        std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o4600)).expect("chmod");
        let hold = dir.path().join("hold");
        std::fs::hard_link(&out, &hold).expect("link");
        Destination::check(&out, &[])
            .expect("fine")
            .install(&built(dir.path()))
            .expect("installed");
        let meta = std::fs::metadata(&out).expect("stat");
        assert_eq!(meta.mode() & 0o7777, 0o777 & !umask());
        assert_eq!(
            std::fs::read(&hold).expect("read"),
            b"old",
            "not written in place"
        );
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .collect();
        // `app` and `hold`: the built file was moved, nothing was staged.
        assert_eq!(names.len(), 2, "no staging file left: {names:?}");
    }

    #[test]
    fn a_device_is_written_through() {
        let dest = Destination::check(Path::new("/dev/null"), &[]).expect("fine");
        assert_eq!(dest.method().expect("method"), Method::WriteThrough);
        let dir = tempfile::tempdir().expect("temp dir");
        dest.install(&built(dir.path())).expect("written");
        let meta = std::fs::metadata("/dev/null").expect("stat");
        assert!(meta.file_type().is_char_device());
    }

    #[test]
    fn a_symlink_to_a_device_is_written_through() {
        let dir = tempfile::tempdir().expect("temp dir");
        let link = dir.path().join("null");
        std::os::unix::fs::symlink("/dev/null", &link).expect("symlink");
        let dest = Destination::check(&link, &[]).expect("fine");
        dest.install(&built(dir.path())).expect("written");
        assert!(std::fs::symlink_metadata(&link)
            .expect("lstat")
            .file_type()
            .is_symlink());
    }

    #[test]
    fn an_input_is_refused_by_any_name() {
        let dir = tempfile::tempdir().expect("temp dir");
        let input = dir.path().join("main.wat");
        std::fs::write(&input, b"(module)").expect("write");
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&input, &link).expect("symlink");
        let hard = dir.path().join("hard");
        std::fs::hard_link(&input, &hard).expect("link");
        for out in [&input, &link, &hard] {
            let err = Destination::check(out, std::slice::from_ref(&input)).expect_err("refused");
            assert!(matches!(err, LinkError::OutputIsInput { .. }), "{err}");
        }
        assert_eq!(std::fs::read(&input).expect("read"), b"(module)");
    }

    #[test]
    fn a_socket_is_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("sock");
        let _listener = std::os::unix::net::UnixListener::bind(&path).expect("bind");
        let err = Destination::check(&path, &[]).expect_err("refused");
        assert!(err.to_string().contains("it is a socket"), "{err}");
        assert!(std::fs::metadata(&path)
            .expect("stat")
            .file_type()
            .is_socket());
    }

    #[test]
    fn a_directory_is_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let err = Destination::check(dir.path(), &[]).expect_err("refused");
        assert!(err.to_string().contains("is a directory"), "{err}");
    }
}
