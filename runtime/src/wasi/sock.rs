//! `sock_*` on sockets the program inherited (e.g. stdio set up by inetd
//! or systemd socket activation). Descriptors that are not sockets get
//! `NOTSOCK` from the host.

use super::errno::{check, check_retry, Errno, WasiResult};
use super::fdtable::{FdEntry, FdKind, HostFd};
use super::guest::GuestMem;
use super::WasiCtx;
use crate::platform::fd::{FromRawFd, OwnedFd};

const FDFLAGS_NONBLOCK: u32 = 4;
const RIFLAGS_RECV_PEEK: u32 = 1;
const RIFLAGS_RECV_WAITALL: u32 = 2;
const ROFLAGS_RECV_DATA_TRUNCATED: u16 = 1;

/// An accepted connection: a stream read and written.
const CONNECTION: FdKind = FdKind::Stream {
    readable: true,
    writable: true,
};

impl WasiCtx {
    pub fn sock_accept(
        &mut self,
        mem: &GuestMem,
        fd: u32,
        flags: u32,
        result: u32,
    ) -> WasiResult<()> {
        mem.check_out(result, 4)?;
        if flags & !FDFLAGS_NONBLOCK != 0 {
            return Err(Errno::INVAL);
        }
        let host = self.fds.host(fd)?;
        if self.fds.embedded(fd).is_some() {
            // Not a socket: the host's answer.
            return Err(Errno::NOTSOCK);
        }
        let mut fl = libc::SOCK_CLOEXEC;
        if flags & FDFLAGS_NONBLOCK != 0 {
            fl |= libc::SOCK_NONBLOCK;
        }
        // SAFETY: null address and length pointers ask for no peer
        // address, so nothing is written; `host` is held open by the fd
        // table (module docs of `wasi`).
        let raw = check_retry(|| unsafe {
            libc::accept4(host, core::ptr::null_mut(), core::ptr::null_mut(), fl)
        })?;
        // SAFETY: `accept4` just returned `raw`: open, owned by nothing
        // else.
        let owned = unsafe { OwnedFd::from_raw_fd(raw) };
        let new_fd = self
            .fds
            .insert(FdEntry::new(HostFd::Owned(owned), CONNECTION))?;
        mem.write_u32(result, new_fd)
    }

    #[allow(clippy::too_many_arguments)]
    pub fn sock_recv(
        &mut self,
        mem: &GuestMem,
        fd: u32,
        iovs: u32,
        iovs_len: u32,
        ri_flags: u32,
        ro_datalen: u32,
        ro_flags: u32,
    ) -> WasiResult<()> {
        mem.check_out(ro_datalen, 4)?;
        mem.check_out(ro_flags, 2)?;
        if ri_flags & !(RIFLAGS_RECV_PEEK | RIFLAGS_RECV_WAITALL) != 0 {
            return Err(Errno::INVAL);
        }
        let host = self.fds.host(fd)?;
        if self.fds.embedded(fd).is_some() {
            // Not a socket: the host's answer.
            return Err(Errno::NOTSOCK);
        }
        let mut v = mem.iovecs(iovs, iovs_len)?;
        let mut flags = 0;
        if ri_flags & RIFLAGS_RECV_PEEK != 0 {
            flags |= libc::MSG_PEEK;
        }
        if ri_flags & RIFLAGS_RECV_WAITALL != 0 {
            flags |= libc::MSG_WAITALL;
        }
        // SAFETY: a zeroed `msghdr` (null name and control buffers, no
        // iovecs) is a valid value of the plain C struct.
        let mut msg: libc::msghdr = unsafe { core::mem::zeroed() };
        msg.msg_iov = v.as_mut_ptr();
        msg.msg_iovlen = v.len();
        // SAFETY: `msg` names only `v`, whose buffers `iovecs` checked
        // against guest memory (module docs of `wasi`), and no address or
        // control buffer; all live for the call.
        let n = check_retry(|| unsafe { libc::recvmsg(host, &mut msg, flags) })?;
        let ro = if msg.msg_flags & libc::MSG_TRUNC != 0 {
            ROFLAGS_RECV_DATA_TRUNCATED
        } else {
            0
        };
        mem.write_u32(ro_datalen, n as u32)?;
        mem.write_u16(ro_flags, ro)
    }

    pub fn sock_send(
        &mut self,
        mem: &GuestMem,
        fd: u32,
        iovs: u32,
        iovs_len: u32,
        si_flags: u32,
        so_datalen: u32,
    ) -> WasiResult<()> {
        mem.check_out(so_datalen, 4)?;
        if si_flags != 0 {
            return Err(Errno::INVAL);
        }
        let host = self.fds.host(fd)?;
        if self.fds.embedded(fd).is_some() {
            // Not a socket: the host's answer.
            return Err(Errno::NOTSOCK);
        }
        let mut v = mem.iovecs(iovs, iovs_len)?;
        // SAFETY: as in sock_recv: a valid value of the plain C struct.
        let mut msg: libc::msghdr = unsafe { core::mem::zeroed() };
        msg.msg_iov = v.as_mut_ptr();
        msg.msg_iovlen = v.len();
        // MSG_NOSIGNAL: a closed peer is an EPIPE result, not a SIGPIPE.
        // SAFETY: as in sock_recv: `msg` names only the checked iovecs.
        let n = check_retry(|| unsafe { libc::sendmsg(host, &msg, libc::MSG_NOSIGNAL) })?;
        mem.write_u32(so_datalen, n as u32)
    }

    pub fn sock_shutdown(&mut self, _mem: &GuestMem, fd: u32, how: u32) -> WasiResult<()> {
        let how = match how {
            1 => libc::SHUT_RD,
            2 => libc::SHUT_WR,
            3 => libc::SHUT_RDWR,
            _ => return Err(Errno::INVAL),
        };
        let host = self.fds.host(fd)?;
        if self.fds.embedded(fd).is_some() {
            // Not a socket: the host's answer.
            return Err(Errno::NOTSOCK);
        }
        // SAFETY: no pointers; `host` is held open by the fd table for the
        // call (module docs of `wasi`: descriptors).
        check(unsafe { libc::shutdown(host, how) }).map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wasi::testutil::Env;

    #[test]
    fn socketpair_send_recv_shutdown() {
        let mut env = Env::new();
        let mut sv = [0; 2];
        assert_eq!(
            // SAFETY: `sv` has room for the two descriptors written.
            unsafe {
                libc::socketpair(
                    libc::AF_UNIX,
                    libc::SOCK_STREAM | libc::SOCK_CLOEXEC,
                    0,
                    sv.as_mut_ptr(),
                )
            },
            0
        );
        // SAFETY: socketpair just opened both; nothing else owns them.
        let (a, b) = unsafe { (OwnedFd::from_raw_fd(sv[0]), OwnedFd::from_raw_fd(sv[1])) };
        let a = env
            .ctx
            .fds
            .insert(FdEntry::new(HostFd::Owned(a), CONNECTION))
            .unwrap();
        let b = env
            .ctx
            .fds
            .insert(FdEntry::new(HostFd::Owned(b), CONNECTION))
            .unwrap();
        env.put(2000, b"ping");
        env.put(3000, &2000u32.to_le_bytes());
        env.put(3004, &4u32.to_le_bytes());
        env.with(|c, m| c.sock_send(m, a, 3000, 1, 0, 10)).unwrap();
        assert_eq!(env.u32_at(10), 4);
        env.put(3000, &2100u32.to_le_bytes());
        env.with(|c, m| c.sock_recv(m, b, 3000, 1, 0, 10, 14))
            .unwrap();
        assert_eq!(env.u32_at(10), 4);
        assert_eq!(&env.buf[2100..2104], b"ping");
        env.with(|c, m| c.fd_fdstat_get(m, a, 100)).unwrap();
        assert_eq!(env.buf[100], crate::wasi::types::filetype::SOCKET_STREAM);
        env.with(|c, m| c.sock_shutdown(m, a, 2)).unwrap();
        env.with(|c, m| c.sock_recv(m, b, 3000, 1, 0, 10, 14))
            .unwrap();
        assert_eq!(env.u32_at(10), 0);
        assert_eq!(env.with(|c, m| c.sock_shutdown(m, a, 0)), Err(Errno::INVAL));
        // Not a socket.
        assert_eq!(
            env.with(|c, m| c.sock_shutdown(m, 3, 3)),
            Err(Errno::NOTSOCK)
        );
        assert_eq!(
            env.with(|c, m| c.sock_accept(m, 3, 0, 0)),
            Err(Errno::NOTSOCK)
        );
    }
}
