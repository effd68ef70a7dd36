//! The resources a handle can stand for, and typed access to a handle
//! table: asking for a handle as one type when it holds another is
//! [`Trap::InvalidResourceHandle`], as for a handle that does not exist.

use super::handles::HandleTable;
use super::sockets::{DatagramStream, ResolveAddresses, TcpSocket, UdpSocket};
use super::Lowered;
use crate::embed::EmbeddedNode;
use crate::platform::fd::{AsRawFd, OwnedFd, RawFd};
use alloc::collections::VecDeque;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use wasmlink_abi::Trap;

/// Every resource type of WASI 0.2.
#[derive(Debug)]
pub enum Resource {
    /// `wasi:io/error.error`.
    Error(IoError),
    Pollable(Pollable),
    InputStream(InputStream),
    OutputStream(OutputStream),
    /// `wasi:filesystem/types.descriptor`.
    Descriptor(Descriptor),
    DirectoryEntries(DirectoryEntries),
    TerminalInput,
    TerminalOutput,
    Network,
    TcpSocket(TcpSocket),
    UdpSocket(UdpSocket),
    IncomingDatagrams(DatagramStream),
    OutgoingDatagrams(DatagramStream),
    ResolveAddresses(ResolveAddresses),
    /// A resource a component defines (`canon resource.new`).
    Guest(GuestHandle),
    /// A WASI resource lent to `table` (as `handle`) for a call between
    /// component instances: it is there until the borrower drops it.
    Lent {
        table: u32,
        handle: u32,
    },
}

impl Resource {
    /// Its index in `wasmlink_abi::WASI2_RESOURCES` (WASI resources only).
    pub fn wasi_index(&self) -> Option<u32> {
        Some(match self {
            Resource::Error(_) => 0,
            Resource::Pollable(_) => 1,
            Resource::InputStream(_) => 2,
            Resource::OutputStream(_) => 3,
            Resource::Descriptor(_) => 4,
            Resource::DirectoryEntries(_) => 5,
            Resource::TerminalInput => 6,
            Resource::TerminalOutput => 7,
            Resource::Network => 8,
            Resource::TcpSocket(_) => 9,
            Resource::UdpSocket(_) => 10,
            Resource::IncomingDatagrams(_) => 11,
            Resource::OutgoingDatagrams(_) => 12,
            Resource::ResolveAddresses(_) => 13,
            Resource::Guest(_) | Resource::Lent { .. } => return None,
        })
    }
}

/// A handle to a resource a component defines: its type (a number the
/// build gives every such type; the high 16 bits are the handle table of
/// the component instance that implements it), its representation, and
/// whether the handle owns it or borrows it for one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GuestHandle {
    pub ty: u32,
    pub rep: u32,
    pub own: bool,
    /// Owned: how many borrows of it are lent out to calls in progress.
    pub lends: u32,
    /// Borrowed: the call scope it belongs to (index in the scope stack).
    pub scope: usize,
}

/// `wasi:io/error.error`: why a stream operation failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IoError {
    pub message: String,
    /// The `wasi:filesystem` error code, when a file operation failed.
    pub fs_code: Option<u8>,
}

/// What a pollable waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pollable {
    /// Always ready (files, streams that never block, expired deadlines).
    Ready,
    /// Ready at this monotonic-clock instant (nanoseconds).
    Deadline(u64),
    /// Ready when host descriptor `fd` has `events` (`POLLIN`/`POLLOUT`).
    /// The descriptor belongs to the pollable's parent, which cannot be
    /// dropped before it.
    Fd { fd: RawFd, events: i16 },
}

/// A host descriptor shared by the resources made from it (a descriptor
/// and its streams).
pub type SharedFd = Arc<OwnedFd>;

#[derive(Debug)]
pub enum InputStream {
    /// The host's stdin.
    Stdin,
    /// A file read from `offset` on (`read-via-stream`).
    File { fd: SharedFd, offset: u64 },
    /// An embedded file read from `offset` on.
    Embedded { file: EmbeddedNode, offset: u64 },
    /// The receiving side of a connected TCP socket.
    Socket { fd: SharedFd },
}

impl InputStream {
    /// The host descriptor read; -1 for an embedded file, which is read
    /// from memory and never polled (it is always ready).
    pub fn raw(&self) -> RawFd {
        match self {
            InputStream::Stdin => 0,
            InputStream::File { fd, .. } | InputStream::Socket { fd } => fd.as_raw_fd(),
            InputStream::Embedded { .. } => -1,
        }
    }
}

#[derive(Debug)]
pub enum OutputStream {
    /// The host's stdout or stderr (1 or 2).
    Stdio(RawFd),
    /// A file written at `offset` on, or at its end (`append-via-stream`).
    File {
        fd: SharedFd,
        offset: u64,
        append: bool,
    },
    /// The sending side of a connected TCP socket.
    Socket { fd: SharedFd },
}

impl OutputStream {
    pub fn raw(&self) -> RawFd {
        match self {
            OutputStream::Stdio(fd) => *fd,
            OutputStream::File { fd, .. } | OutputStream::Socket { fd } => fd.as_raw_fd(),
        }
    }
}

/// What a descriptor is open on: a host file or directory, or an
/// embedded one (`crate::embed`).
#[derive(Clone, Debug)]
pub enum Backing {
    Host(SharedFd),
    Embedded(EmbeddedNode),
}

impl Backing {
    /// The host descriptor; -1 for an embedded one, which every method
    /// serves before it would reach the host (the kernel would refuse -1
    /// with `EBADF`, never taking it for another descriptor).
    pub fn raw(&self) -> RawFd {
        match self {
            Backing::Host(fd) => fd.as_raw_fd(),
            Backing::Embedded(_) => -1,
        }
    }
}

/// `wasi:filesystem/types.descriptor`: an open file or directory.
#[derive(Debug)]
pub struct Descriptor {
    pub fd: Backing,
    pub dir: bool,
    /// What it was opened for, as `descriptor-flags` bits: `read` and
    /// `write` for a file, `read` and `mutate-directory` for a directory.
    /// Only reported (`get-flags`): as in wasmtime, whether a read or a
    /// write works is up to the host (`bad-descriptor` when the host
    /// descriptor was not opened for it).
    pub mode: u8,
    /// Whether anything may be changed through it: the capability of the
    /// preopen it was reached from, which every descriptor opened beneath
    /// a directory inherits whatever mode it is opened with (wasmtime's
    /// `FsPerms`). wasmlink's host preopens are all writable; embedded
    /// files are not (their methods answer `read-only` rather than
    /// `not-permitted`, as a read-only file system does).
    pub writable: bool,
}

/// `directory-entry-stream`: the entries of a directory, read when the
/// stream was made (names other than `.` and `..`, with their type).
#[derive(Debug, Default)]
pub struct DirectoryEntries {
    pub entries: VecDeque<(u8, Vec<u8>)>,
}

macro_rules! typed_access {
    ($( $get:ident $get_mut:ident $remove:ident => $variant:ident ( $ty:ty ); )*) => {
        impl HandleTable {
            $(
                pub fn $get(&self, h: u32) -> Lowered<&$ty> {
                    match self.get(h)? {
                        Resource::$variant(x) => Ok(x),
                        _ => Err(Trap::InvalidResourceHandle),
                    }
                }

                pub fn $get_mut(&mut self, h: u32) -> Lowered<&mut $ty> {
                    match self.get_mut(h)? {
                        Resource::$variant(x) => Ok(x),
                        _ => Err(Trap::InvalidResourceHandle),
                    }
                }

                /// Drop handle `h`, which must hold this type.
                pub fn $remove(&mut self, h: u32) -> Lowered<$ty> {
                    self.$get(h)?;
                    match self.remove(h)? {
                        Resource::$variant(x) => Ok(x),
                        _ => Err(Trap::InvalidResourceHandle),
                    }
                }
            )*
        }
    };
}

typed_access! {
    error error_mut remove_error => Error(IoError);
    pollable pollable_mut remove_pollable => Pollable(Pollable);
    input input_mut remove_input => InputStream(InputStream);
    output output_mut remove_output => OutputStream(OutputStream);
    descriptor descriptor_mut remove_descriptor => Descriptor(Descriptor);
    dir_entries dir_entries_mut remove_dir_entries => DirectoryEntries(DirectoryEntries);
    tcp tcp_mut remove_tcp => TcpSocket(TcpSocket);
    udp udp_mut remove_udp => UdpSocket(UdpSocket);
    incoming incoming_mut remove_incoming => IncomingDatagrams(DatagramStream);
    outgoing outgoing_mut remove_outgoing => OutgoingDatagrams(DatagramStream);
    resolver resolver_mut remove_resolver => ResolveAddresses(ResolveAddresses);
}

impl HandleTable {
    /// Drop handle `h` of a resource type without state of its own
    /// (`matches` says whether it holds one).
    pub fn remove_unit(&mut self, h: u32, matches: fn(&Resource) -> bool) -> Lowered<()> {
        if !matches(self.get(h)?) {
            return Err(Trap::InvalidResourceHandle);
        }
        self.remove(h).map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_are_typed() {
        let mut t = HandleTable::default();
        let p = t.insert(Resource::Pollable(Pollable::Ready), None).unwrap();
        let n = t.insert(Resource::Network, None).unwrap();
        assert_eq!(t.pollable(p), Ok(&Pollable::Ready));
        assert_eq!(t.input(p).unwrap_err(), Trap::InvalidResourceHandle);
        assert_eq!(t.remove_error(p).unwrap_err(), Trap::InvalidResourceHandle);
        // The failed typed drop left it in place.
        assert_eq!(t.pollable(p), Ok(&Pollable::Ready));
        assert_eq!(
            t.remove_unit(p, |r| matches!(r, Resource::Network)),
            Err(Trap::InvalidResourceHandle)
        );
        t.remove_unit(n, |r| matches!(r, Resource::Network))
            .unwrap();
        t.remove_pollable(p).unwrap();
        assert!(t.is_empty());
    }
}
