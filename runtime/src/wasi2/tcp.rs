//! `wasi:sockets/tcp` and `tcp-create-socket`: host TCP sockets with the
//! interface's state machine as wasmtime keeps it: the socket's own state
//! (unbound, bound, listening, connecting, connected, closed by a failed
//! connect) and, beside it, the one operation started and not yet
//! finished (`start-bind` … `finish-bind`, and so on), which makes
//! another `start-*` a `concurrency-conflict`. Subject to the network
//! policy of [`super::sockets`]; the options are in [`super::tcp_options`].

use super::resources::{InputStream, OutputStream, Pollable, Resource};
use super::sockets::{
    check_address, check_network, code, get_option, host_address, host_bind, is_remote, is_unicast,
    last_net_error, net_error, network_allowed, new_socket, set_option, socket_address, store_net,
    store_net_unit, store_socket_address, to_host, Family, NetResult,
};
use super::{Call, Lowered};
use crate::platform::fd::{AsRawFd, FromRawFd, OwnedFd};
use alloc::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TcpState {
    Unbound,
    Bound,
    Listening,
    /// `start-connect` ran; the error `finish-connect` is to report, when
    /// it is known already (a refused permission, a `connect(2)` that
    /// failed at once). wasmtime reports these at `finish-connect` too.
    Connecting(Option<u8>),
    Connected,
    /// A connect failed with this error: the socket is of no further use,
    /// and most methods report that error.
    Closed(u8),
}

/// An operation started and not yet finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    Bind,
    Connect,
    Listen,
}

#[derive(Debug)]
pub struct TcpSocket {
    pub fd: Arc<OwnedFd>,
    pub family: Family,
    pub state: TcpState,
    pub in_progress: Option<Operation>,
    pub backlog: i32,
}

impl TcpSocket {
    fn new(fd: Arc<OwnedFd>, family: Family, state: TcpState) -> TcpSocket {
        TcpSocket {
            fd,
            family,
            state,
            in_progress: None,
            backlog: DEFAULT_BACKLOG,
        }
    }

    fn is_bound(&self) -> bool {
        self.state != TcpState::Unbound
    }

    /// Start `op`, unless another is in progress.
    fn start(&self) -> NetResult<()> {
        match self.in_progress {
            Some(_) => Err(code::CONCURRENCY_CONFLICT),
            None => Ok(()),
        }
    }

    /// Finish `op`, if it is the one in progress.
    fn finish(&mut self, op: Operation) -> NetResult<()> {
        if self.in_progress != Some(op) {
            return Err(code::NOT_IN_PROGRESS);
        }
        self.in_progress = None;
        Ok(())
    }
}

/// The default listen backlog (wasmtime's).
const DEFAULT_BACKLOG: i32 = 128;

fn socket<'c>(c: &'c mut Call, this: i32) -> Lowered<&'c mut TcpSocket> {
    c.table().tcp_mut(this as u32)
}

pub fn sockets_tcp_create_socket_create_tcp_socket(
    c: &mut Call,
    address_family: i32,
    ret: i32,
) -> Lowered<()> {
    let family = Family::from_wit(address_family)?;
    // Without the network, no socket at all, as in wasmtime.
    let socket = if network_allowed(c) {
        new_socket(family, libc::SOCK_STREAM)
    } else {
        Err(code::ACCESS_DENIED)
    };
    let r = match socket {
        Ok(fd) => Ok(c.own(Resource::TcpSocket(TcpSocket::new(
            Arc::new(fd),
            family,
            TcpState::Unbound,
        )))?),
        Err(e) => Err(e),
    };
    store_net(c, ret, 4, r, |c, at, h| c.store_u32(at, h))
}

#[allow(clippy::too_many_arguments)]
pub fn sockets_tcp_tcp_socket_start_bind(
    c: &mut Call,
    this: i32,
    network: i32,
    local_address_0: i32,
    local_address_1: i32,
    local_address_2: i32,
    local_address_3: i32,
    local_address_4: i32,
    local_address_5: i32,
    local_address_6: i32,
    local_address_7: i32,
    local_address_8: i32,
    local_address_9: i32,
    local_address_10: i32,
    local_address_11: i32,
    ret: i32,
) -> Lowered<()> {
    let addr = socket_address([
        local_address_0,
        local_address_1,
        local_address_2,
        local_address_3,
        local_address_4,
        local_address_5,
        local_address_6,
        local_address_7,
        local_address_8,
        local_address_9,
        local_address_10,
        local_address_11,
    ])?;
    check_network(c, network)?;
    let allowed = network_allowed(c);
    let s = socket(c, this)?;
    // wasmtime's order: the operation, the state, the address, the
    // permission.
    let r = (|| {
        s.start()?;
        if s.is_bound() {
            return Err(code::INVALID_STATE);
        }
        if !is_unicast(addr.ip()) {
            return Err(code::INVALID_ARGUMENT);
        }
        check_address(s.family, &addr)?;
        if !allowed {
            return Err(code::ACCESS_DENIED);
        }
        let fd = s.fd.as_raw_fd();
        // As wasmtime (and the interface asks): a port is reusable at once
        // after a close, TIME_WAIT or not.
        let _ = set_option(fd, libc::SOL_SOCKET, libc::SO_REUSEADDR, 1);
        host_bind(fd, &addr)?;
        s.state = TcpState::Bound;
        s.in_progress = Some(Operation::Bind);
        Ok(())
    })();
    store_net_unit(c, ret, r)
}

pub fn sockets_tcp_tcp_socket_finish_bind(c: &mut Call, this: i32, ret: i32) -> Lowered<()> {
    let r = socket(c, this)?.finish(Operation::Bind);
    store_net_unit(c, ret, r)
}

#[allow(clippy::too_many_arguments)]
pub fn sockets_tcp_tcp_socket_start_connect(
    c: &mut Call,
    this: i32,
    network: i32,
    remote_address_0: i32,
    remote_address_1: i32,
    remote_address_2: i32,
    remote_address_3: i32,
    remote_address_4: i32,
    remote_address_5: i32,
    remote_address_6: i32,
    remote_address_7: i32,
    remote_address_8: i32,
    remote_address_9: i32,
    remote_address_10: i32,
    remote_address_11: i32,
    ret: i32,
) -> Lowered<()> {
    let addr = socket_address([
        remote_address_0,
        remote_address_1,
        remote_address_2,
        remote_address_3,
        remote_address_4,
        remote_address_5,
        remote_address_6,
        remote_address_7,
        remote_address_8,
        remote_address_9,
        remote_address_10,
        remote_address_11,
    ])?;
    check_network(c, network)?;
    let allowed = network_allowed(c);
    let s = socket(c, this)?;
    let r = (|| {
        s.start()?;
        if !matches!(s.state, TcpState::Unbound | TcpState::Bound) {
            return Err(code::INVALID_STATE);
        }
        if !is_unicast(addr.ip()) || !is_remote(&addr) {
            return Err(code::INVALID_ARGUMENT);
        }
        check_address(s.family, &addr)?;
        // Past the checks of the arguments, everything (the permission
        // included) is the connection attempt's outcome, which
        // `finish-connect` reports, as in wasmtime.
        let outcome = if allowed {
            let (ss, len) = to_host(&addr);
            // SAFETY: `ss` is a live sockaddr of `len` bytes, only read;
            // the socket is held open by its resource.
            let r = unsafe {
                libc::connect(
                    s.fd.as_raw_fd(),
                    (&ss as *const libc::sockaddr_storage).cast(),
                    len,
                )
            };
            match (r, crate::sys::errno()) {
                (0, _) | (_, libc::EINPROGRESS) => None,
                (_, e) => Some(net_error(e)),
            }
        } else {
            Some(code::ACCESS_DENIED)
        };
        s.state = TcpState::Connecting(outcome);
        s.in_progress = Some(Operation::Connect);
        Ok(())
    })();
    store_net_unit(c, ret, r)
}

/// `finish-connect -> result<tuple<input-stream, output-stream>, …>`.
pub fn sockets_tcp_tcp_socket_finish_connect(c: &mut Call, this: i32, ret: i32) -> Lowered<()> {
    let s = socket(c, this)?;
    let r: NetResult<Arc<OwnedFd>> = (|| {
        if s.in_progress != Some(Operation::Connect) {
            return Err(code::NOT_IN_PROGRESS);
        }
        let fd = s.fd.as_raw_fd();
        let outcome = match s.state {
            TcpState::Connecting(Some(e)) => Err(e),
            _ => {
                let ready = super::poll::ready_set(
                    &[Pollable::Fd {
                        fd,
                        events: libc::POLLOUT,
                    }],
                    false,
                );
                if ready.is_empty() {
                    return Err(code::WOULD_BLOCK);
                }
                match get_option(fd, libc::SOL_SOCKET, libc::SO_ERROR)? {
                    0 => Ok(()),
                    e => Err(net_error(e)),
                }
            }
        };
        s.in_progress = None;
        match outcome {
            Ok(()) => {
                s.state = TcpState::Connected;
                Ok(Arc::clone(&s.fd))
            }
            Err(e) => {
                s.state = TcpState::Closed(e);
                Err(e)
            }
        }
    })();
    let r = match r {
        Ok(fd) => Ok(streams(c, this as u32, fd)?),
        Err(e) => Err(e),
    };
    store_net(c, ret, 4, r, |c, at, (i, o)| {
        c.store_u32(at, i)?;
        c.store_u32(at + 4, o)
    })
}

/// The input and output streams of a connected socket, children of its
/// handle `parent` (which cannot be dropped before them, as in wasmtime).
fn streams(c: &mut Call, parent: u32, fd: Arc<OwnedFd>) -> Lowered<(u32, u32)> {
    let input = Resource::InputStream(InputStream::Socket {
        fd: Arc::clone(&fd),
    });
    let i = c.table().insert(input, Some(parent))?;
    let output = Resource::OutputStream(OutputStream::Socket { fd });
    let o = c.table().insert(output, Some(parent))?;
    Ok((i, o))
}

pub fn sockets_tcp_tcp_socket_start_listen(c: &mut Call, this: i32, ret: i32) -> Lowered<()> {
    let allowed = network_allowed(c);
    let s = socket(c, this)?;
    let r = (|| {
        s.start()?;
        // WASI 0.2 listens on bound sockets only.
        if s.state != TcpState::Bound {
            return Err(code::INVALID_STATE);
        }
        if !allowed {
            return Err(code::ACCESS_DENIED);
        }
        // SAFETY: no pointers; the socket is held open by its resource.
        if unsafe { libc::listen(s.fd.as_raw_fd(), s.backlog) } < 0 {
            return Err(last_net_error());
        }
        s.state = TcpState::Listening;
        s.in_progress = Some(Operation::Listen);
        Ok(())
    })();
    store_net_unit(c, ret, r)
}

pub fn sockets_tcp_tcp_socket_finish_listen(c: &mut Call, this: i32, ret: i32) -> Lowered<()> {
    let r = socket(c, this)?.finish(Operation::Listen);
    store_net_unit(c, ret, r)
}

/// Linux reports some errors of the connection being accepted from
/// `accept` itself; other systems do not, and wasmtime makes them all
/// `connection-aborted`.
fn accept_error(e: i32) -> u8 {
    match e {
        libc::ECONNRESET
        | libc::ENETRESET
        | libc::EHOSTUNREACH
        | libc::EHOSTDOWN
        | libc::ENETDOWN
        | libc::ENETUNREACH
        | libc::EPROTO
        | libc::ENOPROTOOPT
        | libc::ENONET
        | libc::EOPNOTSUPP => code::CONNECTION_ABORTED,
        e => net_error(e),
    }
}

/// `accept -> result<tuple<tcp-socket, input-stream, output-stream>, …>`.
pub fn sockets_tcp_tcp_socket_accept(c: &mut Call, this: i32, ret: i32) -> Lowered<()> {
    let s = socket(c, this)?;
    let family = s.family;
    let r: NetResult<OwnedFd> = (|| {
        if s.state != TcpState::Listening {
            return Err(code::INVALID_STATE);
        }
        loop {
            // SAFETY: null address arguments: the peer is not asked for;
            // the socket is held open by its resource.
            let fd = unsafe {
                libc::accept4(
                    s.fd.as_raw_fd(),
                    core::ptr::null_mut(),
                    core::ptr::null_mut(),
                    libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC,
                )
            };
            if fd >= 0 {
                // SAFETY: `accept4` just returned `fd`: open, owned by
                // nothing else.
                return Ok(unsafe { OwnedFd::from_raw_fd(fd) });
            }
            match crate::sys::errno() {
                libc::EINTR => continue,
                e => return Err(accept_error(e)),
            }
        }
    })();
    let r = match r {
        Ok(fd) => {
            let fd = Arc::new(fd);
            let accepted = TcpSocket::new(Arc::clone(&fd), family, TcpState::Connected);
            let sock = c.own(Resource::TcpSocket(accepted))?;
            let (i, o) = streams(c, sock, fd)?;
            Ok((sock, i, o))
        }
        Err(e) => Err(e),
    };
    store_net(c, ret, 4, r, |c, at, (s, i, o)| {
        c.store_u32(at, s)?;
        c.store_u32(at + 4, i)?;
        c.store_u32(at + 8, o)
    })
}

fn address(c: &mut Call, this: i32, peer: bool, ret: i32) -> Lowered<()> {
    let s = socket(c, this)?;
    let fd = s.fd.as_raw_fd();
    let r = match (s.state, peer) {
        (TcpState::Closed(e), _) => Err(e),
        (TcpState::Connected, _) => host_address(fd, peer),
        (TcpState::Bound | TcpState::Listening, false) => host_address(fd, peer),
        _ => Err(code::INVALID_STATE),
    };
    store_net(c, ret, 4, r, |c, at, a| store_socket_address(c, at, &a))
}

pub fn sockets_tcp_tcp_socket_local_address(c: &mut Call, this: i32, ret: i32) -> Lowered<()> {
    address(c, this, false, ret)
}

pub fn sockets_tcp_tcp_socket_remote_address(c: &mut Call, this: i32, ret: i32) -> Lowered<()> {
    address(c, this, true, ret)
}

pub fn sockets_tcp_tcp_socket_is_listening(c: &mut Call, this: i32) -> Lowered<i32> {
    Ok(i32::from(socket(c, this)?.state == TcpState::Listening))
}

pub fn sockets_tcp_tcp_socket_address_family(c: &mut Call, this: i32) -> Lowered<i32> {
    Ok(socket(c, this)?.family.wit())
}

pub fn sockets_tcp_tcp_socket_subscribe(c: &mut Call, this: i32) -> Lowered<i32> {
    let s = socket(c, this)?;
    let fd = s.fd.as_raw_fd();
    // Ready when `finish-connect` or `accept` would not say
    // `would-block`; at once for anything else, as in wasmtime.
    let p = match s.state {
        TcpState::Connecting(None) => Pollable::Fd {
            fd,
            events: libc::POLLOUT,
        },
        TcpState::Listening if s.in_progress.is_none() => Pollable::Fd {
            fd,
            events: libc::POLLIN,
        },
        _ => Pollable::Ready,
    };
    super::poll::subscribe(c, this as u32, p)
}

pub fn sockets_tcp_tcp_socket_shutdown(
    c: &mut Call,
    this: i32,
    shutdown_type: i32,
    ret: i32,
) -> Lowered<()> {
    let how = match shutdown_type {
        0 => libc::SHUT_RD,
        1 => libc::SHUT_WR,
        2 => libc::SHUT_RDWR,
        _ => return Err(wasmlink_abi::Trap::InvalidArgument),
    };
    let s = socket(c, this)?;
    let r = if s.state != TcpState::Connected {
        Err(code::INVALID_STATE)
    // SAFETY: no pointers; the socket is held open by its resource.
    } else if unsafe { libc::shutdown(s.fd.as_raw_fd(), how) } < 0 {
        Err(last_net_error())
    } else {
        Ok(())
    };
    store_net_unit(c, ret, r)
}

pub fn sockets_tcp_tcp_socket_drop(c: &mut Call, handle: i32) -> Lowered<()> {
    c.table().remove_tcp(handle as u32).map(drop)
}
