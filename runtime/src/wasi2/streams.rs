//! `wasi:io/streams`: input and output streams over the host's stdio,
//! files (`read-via-stream`, `write-via-stream`, `append-via-stream`) and
//! connected TCP sockets.
//!
//! Non-blocking calls never wait: `read` of stdin or a socket returns what
//! is there (possibly nothing), `check-write` grants a fixed budget.
//! Blocking calls wait as the host call does. End of input is the
//! `closed` error; a host failure is `last-operation-failed` with an
//! `error` resource describing it. Writes are unbuffered, so flushing has
//! nothing to do. `blocking-write-and-flush` of more than 4096 bytes traps,
//! as the interface says and wasmtime does.

use super::fs_types::fs_error_code;
use super::poll::{ready_set, subscribe};
use super::resources::{InputStream, IoError, OutputStream, Pollable, Resource};
use super::{Call, Lowered};
use crate::platform::fd::{AsRawFd, RawFd};
use crate::wasi::errno::Errno;
use alloc::vec::Vec;
use wasmlink_abi::Trap;

/// The most one read returns, however much is asked for.
const READ_CHUNK: u64 = 1 << 20;

/// What `check-write` grants.
const WRITE_BUDGET: u64 = 1 << 20;

/// The most `blocking-write-and-flush` and friends accept.
const BLOCKING_WRITE_LIMIT: u64 = 4096;

/// `stream-error`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreamError {
    Failed(IoError),
    Closed,
}

impl StreamError {
    /// A host failure (`errno`) as `last-operation-failed`.
    pub fn host(e: i32) -> StreamError {
        let errno = Errno::from_host(e);
        StreamError::Failed(IoError {
            message: crate::sys::strerror(e),
            fs_code: Some(fs_error_code(errno)),
        })
    }
}

/// Store a `stream-error` at `at`: discriminant, then the `error` handle.
fn store_stream_error(c: &mut Call, at: u32, e: StreamError) -> Lowered<()> {
    match e {
        StreamError::Closed => c.store_u8(at, 1),
        StreamError::Failed(err) => {
            let h = c.own(Resource::Error(err))?;
            c.store_u8(at, 0)?;
            c.store_u32(at + 4, h)
        }
    }
}

/// `result<_, stream-error>` at `ret`.
fn store_unit_result(c: &mut Call, ret: i32, r: Result<(), StreamError>) -> Lowered<()> {
    let ret = ret as u32;
    match r {
        Ok(()) => c.store_u8(ret, 0),
        Err(e) => {
            c.store_u8(ret, 1)?;
            store_stream_error(c, ret + 4, e)
        }
    }
}

/// `result<u64, stream-error>` at `ret`.
fn store_u64_result(c: &mut Call, ret: i32, r: Result<u64, StreamError>) -> Lowered<()> {
    let ret = ret as u32;
    match r {
        Ok(n) => {
            c.store_u8(ret, 0)?;
            c.store_u64(ret + 8, n)
        }
        Err(e) => {
            c.store_u8(ret, 1)?;
            store_stream_error(c, ret + 8, e)
        }
    }
}

/// `result<list<u8>, stream-error>` at `ret`.
fn store_bytes_result(c: &mut Call, ret: i32, r: Result<Vec<u8>, StreamError>) -> Lowered<()> {
    let ret = ret as u32;
    match r {
        Ok(data) => {
            let (p, n) = c.store_list_u8(&data)?;
            c.store_u8(ret, 0)?;
            c.store_u32(ret + 4, p)?;
            c.store_u32(ret + 8, n)
        }
        Err(e) => {
            c.store_u8(ret, 1)?;
            store_stream_error(c, ret + 4, e)
        }
    }
}

fn host_errno() -> i32 {
    crate::sys::errno()
}

/// Read up to `len` bytes from `s`; without `block`, only what is there.
fn read_stream(s: &mut InputStream, len: u64, block: bool) -> Result<Vec<u8>, StreamError> {
    let len = len.min(READ_CHUNK) as usize;
    if len == 0 {
        return Ok(Vec::new());
    }
    if let InputStream::Embedded { file, offset } = s {
        let mut data = Vec::new();
        let got = crate::embed::ops::read_at(
            file,
            *offset,
            |d| {
                data.extend_from_slice(d);
                Ok(())
            },
            len as u64,
        );
        return match got {
            Ok(0) | Err(_) => Err(StreamError::Closed),
            Ok(n) => {
                *offset += n as u64;
                Ok(data)
            }
        };
    }
    let mut buf = vec![0u8; len];
    let n = loop {
        let fd = s.raw();
        let r = match s {
            InputStream::File { offset, .. } => {
                let off = i64::try_from(*offset).map_err(|_| StreamError::host(libc::EINVAL))?;
                // SAFETY: `buf` is a live host buffer of `len` bytes, the
                // only memory written; the descriptor is held open by the
                // stream.
                unsafe { libc::pread(fd, buf.as_mut_ptr().cast(), len, off) }
            }
            InputStream::Embedded { .. } => return Err(StreamError::Closed),
            InputStream::Stdin | InputStream::Socket { .. } => {
                if !block
                    && ready_set(
                        &[Pollable::Fd {
                            fd,
                            events: libc::POLLIN,
                        }],
                        false,
                    )
                    .is_empty()
                {
                    return Ok(Vec::new());
                }
                // SAFETY: as above.
                unsafe { libc::read(fd, buf.as_mut_ptr().cast(), len) }
            }
        };
        if r >= 0 {
            break r as usize;
        }
        match host_errno() {
            libc::EINTR => continue,
            libc::EAGAIN if !block => return Ok(Vec::new()),
            e => return Err(StreamError::host(e)),
        }
    };
    if n == 0 {
        return Err(StreamError::Closed);
    }
    if let InputStream::File { offset, .. } = s {
        *offset += n as u64;
    }
    buf.truncate(n);
    Ok(buf)
}

/// Write all of `data` to `s`.
fn write_stream(s: &mut OutputStream, data: &[u8]) -> Result<(), StreamError> {
    let fd: RawFd = s.raw();
    let mut done = 0;
    if let OutputStream::File {
        offset,
        append: true,
        fd: f,
    } = s
    {
        let st =
            crate::wasi::types::fstat(f.as_raw_fd()).map_err(|_| StreamError::host(libc::EIO))?;
        *offset = st.st_size.max(0) as u64;
    }
    while done < data.len() {
        let rest = &data[done..];
        let r = match s {
            OutputStream::File { offset, .. } => {
                let off = i64::try_from(*offset).map_err(|_| StreamError::host(libc::EFBIG))?;
                // SAFETY: `rest` is a live host buffer, only read; the
                // descriptor is held open by the stream.
                unsafe { libc::pwrite(fd, rest.as_ptr().cast(), rest.len(), off) }
            }
            OutputStream::Stdio(_) => {
                // SAFETY: as above; stdio is borrowed for the process.
                unsafe { libc::write(fd, rest.as_ptr().cast(), rest.len()) }
            }
            OutputStream::Socket { .. } => {
                // SAFETY: as above.
                unsafe { libc::send(fd, rest.as_ptr().cast(), rest.len(), libc::MSG_NOSIGNAL) }
            }
        };
        if r < 0 {
            match host_errno() {
                libc::EINTR => continue,
                libc::EPIPE | libc::ECONNRESET => return Err(StreamError::Closed),
                e => return Err(StreamError::host(e)),
            }
        }
        done += r as usize;
        if let OutputStream::File { offset, .. } = s {
            *offset += r as u64;
        }
    }
    Ok(())
}

pub fn io_streams_input_stream_read(c: &mut Call, this: i32, len: i64, ret: i32) -> Lowered<()> {
    let r = read_stream(c.table().input_mut(this as u32)?, len as u64, false);
    store_bytes_result(c, ret, r)
}

pub fn io_streams_input_stream_blocking_read(
    c: &mut Call,
    this: i32,
    len: i64,
    ret: i32,
) -> Lowered<()> {
    let r = read_stream(c.table().input_mut(this as u32)?, len as u64, true);
    store_bytes_result(c, ret, r)
}

fn skip(c: &mut Call, this: i32, len: i64, block: bool) -> Lowered<Result<u64, StreamError>> {
    let s = c.table().input_mut(this as u32)?;
    Ok(read_stream(s, len as u64, block).map(|d| d.len() as u64))
}

pub fn io_streams_input_stream_skip(c: &mut Call, this: i32, len: i64, ret: i32) -> Lowered<()> {
    let r = skip(c, this, len, false)?;
    store_u64_result(c, ret, r)
}

pub fn io_streams_input_stream_blocking_skip(
    c: &mut Call,
    this: i32,
    len: i64,
    ret: i32,
) -> Lowered<()> {
    let r = skip(c, this, len, true)?;
    store_u64_result(c, ret, r)
}

pub fn io_streams_input_stream_subscribe(c: &mut Call, this: i32) -> Lowered<i32> {
    let p = match c.table().input(this as u32)? {
        InputStream::File { .. } | InputStream::Embedded { .. } => Pollable::Ready,
        s => Pollable::Fd {
            fd: s.raw(),
            events: libc::POLLIN,
        },
    };
    subscribe(c, this as u32, p)
}

pub fn io_streams_input_stream_drop(c: &mut Call, handle: i32) -> Lowered<()> {
    c.table().remove_input(handle as u32).map(drop)
}

pub fn io_streams_output_stream_check_write(c: &mut Call, this: i32, ret: i32) -> Lowered<()> {
    c.table().output(this as u32)?;
    store_u64_result(c, ret, Ok(WRITE_BUDGET))
}

/// Write the guest's `list<u8>` at (`ptr`, `len`) to stream `this`; more
/// than `limit` bytes trap.
fn write_from_guest(
    c: &mut Call,
    this: i32,
    ptr: i32,
    len: i32,
    limit: u64,
    ret: i32,
) -> Lowered<()> {
    c.table().output(this as u32)?;
    if u64::from(len as u32) > limit {
        return Err(Trap::InvalidArgument);
    }
    let data = c.load_bytes(ptr, len)?;
    let r = write_stream(c.table().output_mut(this as u32)?, &data);
    store_unit_result(c, ret, r)
}

pub fn io_streams_output_stream_write(
    c: &mut Call,
    this: i32,
    contents_0: i32,
    contents_1: i32,
    ret: i32,
) -> Lowered<()> {
    write_from_guest(c, this, contents_0, contents_1, u64::MAX, ret)
}

pub fn io_streams_output_stream_blocking_write_and_flush(
    c: &mut Call,
    this: i32,
    contents_0: i32,
    contents_1: i32,
    ret: i32,
) -> Lowered<()> {
    write_from_guest(c, this, contents_0, contents_1, BLOCKING_WRITE_LIMIT, ret)
}

pub fn io_streams_output_stream_flush(c: &mut Call, this: i32, ret: i32) -> Lowered<()> {
    c.table().output(this as u32)?;
    store_unit_result(c, ret, Ok(()))
}

pub fn io_streams_output_stream_blocking_flush(c: &mut Call, this: i32, ret: i32) -> Lowered<()> {
    io_streams_output_stream_flush(c, this, ret)
}

pub fn io_streams_output_stream_subscribe(c: &mut Call, this: i32) -> Lowered<i32> {
    let p = match c.table().output(this as u32)? {
        OutputStream::Socket { fd } => Pollable::Fd {
            fd: fd.as_raw_fd(),
            events: libc::POLLOUT,
        },
        _ => Pollable::Ready,
    };
    subscribe(c, this as u32, p)
}

fn write_zeroes(c: &mut Call, this: i32, len: i64, limit: u64, ret: i32) -> Lowered<()> {
    let len = len as u64;
    c.table().output(this as u32)?;
    if len > limit {
        return Err(Trap::InvalidArgument);
    }
    let zeroes = vec![0u8; len.min(WRITE_BUDGET) as usize];
    let r = write_stream(c.table().output_mut(this as u32)?, &zeroes);
    store_unit_result(c, ret, r)
}

pub fn io_streams_output_stream_write_zeroes(
    c: &mut Call,
    this: i32,
    len: i64,
    ret: i32,
) -> Lowered<()> {
    write_zeroes(c, this, len, WRITE_BUDGET, ret)
}

pub fn io_streams_output_stream_blocking_write_zeroes_and_flush(
    c: &mut Call,
    this: i32,
    len: i64,
    ret: i32,
) -> Lowered<()> {
    write_zeroes(c, this, len, BLOCKING_WRITE_LIMIT, ret)
}

fn splice(
    c: &mut Call,
    this: i32,
    src: i32,
    len: i64,
    block: bool,
) -> Lowered<Result<u64, StreamError>> {
    c.table().output(this as u32)?;
    let data = match read_stream(c.table().input_mut(src as u32)?, len as u64, block) {
        Ok(d) => d,
        Err(e) => return Ok(Err(e)),
    };
    let out = c.table().output_mut(this as u32)?;
    Ok(write_stream(out, &data).map(|()| data.len() as u64))
}

pub fn io_streams_output_stream_splice(
    c: &mut Call,
    this: i32,
    src: i32,
    len: i64,
    ret: i32,
) -> Lowered<()> {
    let r = splice(c, this, src, len, false)?;
    store_u64_result(c, ret, r)
}

pub fn io_streams_output_stream_blocking_splice(
    c: &mut Call,
    this: i32,
    src: i32,
    len: i64,
    ret: i32,
) -> Lowered<()> {
    let r = splice(c, this, src, len, true)?;
    store_u64_result(c, ret, r)
}

pub fn io_streams_output_stream_drop(c: &mut Call, handle: i32) -> Lowered<()> {
    c.table().remove_output(handle as u32).map(drop)
}
