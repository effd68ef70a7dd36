//! `wasi:sockets/tcp` and `tcp-create-socket`: host TCP sockets with the
//! interface's state machine (bind and listen in two steps, a
//! non-blocking connect finished by `finish-connect`, which hands out
//! the socket's streams), subject to the network policy of
//! [`super::sockets`].

use super::resources::{InputStream, OutputStream, Pollable, Resource};
use super::sockets::{
    check_address, check_network, code, get_option, host_address, host_bind, last_net_error,
    network_allowed, new_socket, set_option, socket_address, store_net, store_net_unit,
    store_socket_address, to_host, Family, NetResult,
};
use super::{Call, Lowered};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TcpState {
    Unbound,
    BindStarted,
    Bound,
    ListenStarted,
    Listening,
    ConnectStarted,
    Connected,
    /// A connect failed: the socket is of no further use.
    Closed,
}

#[derive(Debug)]
pub struct TcpSocket {
    pub fd: Arc<OwnedFd>,
    pub family: Family,
    pub state: TcpState,
    pub backlog: i32,
    /// A `finish-bind`/`finish-listen` error to report (none here: the
    /// host steps complete at once).
    pub pending: Option<u8>,
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
    let r = match new_socket(family, libc::SOCK_STREAM) {
        Ok(fd) => Ok(c.own(Resource::TcpSocket(TcpSocket {
            fd: Arc::new(fd),
            family,
            state: TcpState::Unbound,
            backlog: DEFAULT_BACKLOG,
            pending: None,
        }))?),
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
    let r = (|| {
        if s.state != TcpState::Unbound {
            return Err(code::INVALID_STATE);
        }
        check_address(s.family, &addr)?;
        if !allowed {
            return Err(code::ACCESS_DENIED);
        }
        let fd = s.fd.as_raw_fd();
        // As wasmtime: a port is reusable at once after a close.
        set_option(fd, libc::SOL_SOCKET, libc::SO_REUSEADDR, 1)?;
        host_bind(fd, &addr)?;
        s.state = TcpState::BindStarted;
        Ok(())
    })();
    store_net_unit(c, ret, r)
}

pub fn sockets_tcp_tcp_socket_finish_bind(c: &mut Call, this: i32, ret: i32) -> Lowered<()> {
    let s = socket(c, this)?;
    let r = if s.state == TcpState::BindStarted {
        s.state = TcpState::Bound;
        Ok(())
    } else {
        Err(code::NOT_IN_PROGRESS)
    };
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
        match s.state {
            TcpState::Unbound | TcpState::Bound => {}
            _ => return Err(code::INVALID_STATE),
        }
        check_address(s.family, &addr)?;
        if addr.port() == 0 || addr.ip().is_unspecified() {
            return Err(code::INVALID_ARGUMENT);
        }
        if !allowed {
            return Err(code::ACCESS_DENIED);
        }
        let (ss, len) = to_host(&addr);
        // SAFETY: `ss` is a live sockaddr of `len` bytes, only read; the
        // socket is held open by its resource.
        let r = unsafe {
            libc::connect(
                s.fd.as_raw_fd(),
                (&ss as *const libc::sockaddr_storage).cast(),
                len,
            )
        };
        if r < 0 && crate::sys::errno() != libc::EINPROGRESS {
            s.state = TcpState::Closed;
            return Err(last_net_error());
        }
        s.state = TcpState::ConnectStarted;
        Ok(())
    })();
    store_net_unit(c, ret, r)
}

/// `finish-connect -> result<tuple<input-stream, output-stream>, …>`.
pub fn sockets_tcp_tcp_socket_finish_connect(c: &mut Call, this: i32, ret: i32) -> Lowered<()> {
    let s = socket(c, this)?;
    let r: NetResult<Arc<OwnedFd>> = (|| {
        if s.state != TcpState::ConnectStarted {
            return Err(code::NOT_IN_PROGRESS);
        }
        let fd = s.fd.as_raw_fd();
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
        let e = get_option(fd, libc::SOL_SOCKET, libc::SO_ERROR)?;
        if e != 0 {
            s.state = TcpState::Closed;
            return Err(super::sockets::net_error(e));
        }
        s.state = TcpState::Connected;
        Ok(Arc::clone(&s.fd))
    })();
    streams_result(c, ret, r)
}

/// Store `result<tuple<input-stream, output-stream>, error-code>` for a
/// connected socket.
fn streams_result(c: &mut Call, ret: i32, r: NetResult<Arc<OwnedFd>>) -> Lowered<()> {
    let r = match r {
        Ok(fd) => {
            let i = c.own(Resource::InputStream(InputStream::Socket {
                fd: Arc::clone(&fd),
            }))?;
            let o = c.own(Resource::OutputStream(OutputStream::Socket { fd }))?;
            Ok((i, o))
        }
        Err(e) => Err(e),
    };
    store_net(c, ret, 4, r, |c, at, (i, o)| {
        c.store_u32(at, i)?;
        c.store_u32(at + 4, o)
    })
}

pub fn sockets_tcp_tcp_socket_start_listen(c: &mut Call, this: i32, ret: i32) -> Lowered<()> {
    let s = socket(c, this)?;
    let r = (|| {
        if s.state != TcpState::Bound {
            return Err(code::INVALID_STATE);
        }
        // SAFETY: no pointers; the socket is held open by its resource.
        if unsafe { libc::listen(s.fd.as_raw_fd(), s.backlog) } < 0 {
            return Err(last_net_error());
        }
        s.state = TcpState::ListenStarted;
        Ok(())
    })();
    store_net_unit(c, ret, r)
}

pub fn sockets_tcp_tcp_socket_finish_listen(c: &mut Call, this: i32, ret: i32) -> Lowered<()> {
    let s = socket(c, this)?;
    let r = if s.state == TcpState::ListenStarted {
        s.state = TcpState::Listening;
        Ok(())
    } else {
        Err(code::NOT_IN_PROGRESS)
    };
    store_net_unit(c, ret, r)
}

/// `accept -> result<tuple<tcp-socket, input-stream, output-stream>, …>`.
pub fn sockets_tcp_tcp_socket_accept(c: &mut Call, this: i32, ret: i32) -> Lowered<()> {
    let s = socket(c, this)?;
    let family = s.family;
    let r: NetResult<OwnedFd> = (|| {
        if s.state != TcpState::Listening {
            return Err(code::INVALID_STATE);
        }
        // SAFETY: null address arguments: the peer is not asked for; the
        // socket is held open by its resource.
        let fd = unsafe {
            libc::accept4(
                s.fd.as_raw_fd(),
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC,
            )
        };
        if fd < 0 {
            return Err(last_net_error());
        }
        // SAFETY: `accept4` just returned `fd`: open, owned by nothing
        // else.
        Ok(unsafe { OwnedFd::from_raw_fd(fd) })
    })();
    let r = match r {
        Ok(fd) => {
            let fd = Arc::new(fd);
            let sock = c.own(Resource::TcpSocket(TcpSocket {
                fd: Arc::clone(&fd),
                family,
                state: TcpState::Connected,
                backlog: DEFAULT_BACKLOG,
                pending: None,
            }))?;
            let i = c.own(Resource::InputStream(InputStream::Socket {
                fd: Arc::clone(&fd),
            }))?;
            let o = c.own(Resource::OutputStream(OutputStream::Socket { fd }))?;
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
    let r = match (s.state, peer) {
        (TcpState::Connected, _) => host_address(s.fd.as_raw_fd(), peer),
        (
            TcpState::Bound
            | TcpState::Listening
            | TcpState::ListenStarted
            | TcpState::ConnectStarted,
            false,
        ) => host_address(s.fd.as_raw_fd(), peer),
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

pub fn sockets_tcp_tcp_socket_set_listen_backlog_size(
    c: &mut Call,
    this: i32,
    value: i64,
    ret: i32,
) -> Lowered<()> {
    let s = socket(c, this)?;
    let r = (|| {
        if value == 0 {
            return Err(code::INVALID_ARGUMENT);
        }
        let backlog = value.clamp(1, i64::from(i32::MAX)) as i32;
        if s.state == TcpState::Listening {
            // SAFETY: no pointers; the socket is held open by its resource.
            if unsafe { libc::listen(s.fd.as_raw_fd(), backlog) } < 0 {
                return Err(last_net_error());
            }
        }
        s.backlog = backlog;
        Ok(())
    })();
    store_net_unit(c, ret, r)
}

/// Store an option read as `result<T, error-code>` (payload at `align`).
fn get_opt(
    c: &mut Call,
    this: i32,
    ret: i32,
    level: i32,
    name: i32,
    align: u32,
    store: fn(&mut Call, u32, i32) -> Lowered<()>,
) -> Lowered<()> {
    let fd = socket(c, this)?.fd.as_raw_fd();
    let r = get_option(fd, level, name);
    store_net(c, ret, align, r, store)
}

fn set_opt(
    c: &mut Call,
    this: i32,
    ret: i32,
    level: i32,
    name: i32,
    value: NetResult<i32>,
) -> Lowered<()> {
    let fd = socket(c, this)?.fd.as_raw_fd();
    let r = value.and_then(|v| set_option(fd, level, name, v));
    store_net_unit(c, ret, r)
}

fn positive(v: i64) -> NetResult<i32> {
    if v <= 0 {
        Err(code::INVALID_ARGUMENT)
    } else {
        Ok(v.min(i64::from(i32::MAX)) as i32)
    }
}

/// Nanoseconds as the whole seconds the host takes (at least 1).
fn seconds(ns: i64) -> NetResult<i32> {
    if ns <= 0 {
        return Err(code::INVALID_ARGUMENT);
    }
    Ok(((ns as u64).div_ceil(1_000_000_000)).min(i32::MAX as u64) as i32)
}

pub fn sockets_tcp_tcp_socket_keep_alive_enabled(c: &mut Call, this: i32, ret: i32) -> Lowered<()> {
    get_opt(
        c,
        this,
        ret,
        libc::SOL_SOCKET,
        libc::SO_KEEPALIVE,
        1,
        |c, at, v| c.store_u8(at, u8::from(v != 0)),
    )
}

pub fn sockets_tcp_tcp_socket_set_keep_alive_enabled(
    c: &mut Call,
    this: i32,
    value: i32,
    ret: i32,
) -> Lowered<()> {
    set_opt(
        c,
        this,
        ret,
        libc::SOL_SOCKET,
        libc::SO_KEEPALIVE,
        Ok(i32::from(value != 0)),
    )
}

pub fn sockets_tcp_tcp_socket_keep_alive_idle_time(
    c: &mut Call,
    this: i32,
    ret: i32,
) -> Lowered<()> {
    get_opt(
        c,
        this,
        ret,
        libc::IPPROTO_TCP,
        libc::TCP_KEEPIDLE,
        8,
        |c, at, v| c.store_u64(at, v as u64 * 1_000_000_000),
    )
}

pub fn sockets_tcp_tcp_socket_set_keep_alive_idle_time(
    c: &mut Call,
    this: i32,
    value: i64,
    ret: i32,
) -> Lowered<()> {
    set_opt(
        c,
        this,
        ret,
        libc::IPPROTO_TCP,
        libc::TCP_KEEPIDLE,
        seconds(value),
    )
}

pub fn sockets_tcp_tcp_socket_keep_alive_interval(
    c: &mut Call,
    this: i32,
    ret: i32,
) -> Lowered<()> {
    get_opt(
        c,
        this,
        ret,
        libc::IPPROTO_TCP,
        libc::TCP_KEEPINTVL,
        8,
        |c, at, v| c.store_u64(at, v as u64 * 1_000_000_000),
    )
}

pub fn sockets_tcp_tcp_socket_set_keep_alive_interval(
    c: &mut Call,
    this: i32,
    value: i64,
    ret: i32,
) -> Lowered<()> {
    set_opt(
        c,
        this,
        ret,
        libc::IPPROTO_TCP,
        libc::TCP_KEEPINTVL,
        seconds(value),
    )
}

pub fn sockets_tcp_tcp_socket_keep_alive_count(c: &mut Call, this: i32, ret: i32) -> Lowered<()> {
    get_opt(
        c,
        this,
        ret,
        libc::IPPROTO_TCP,
        libc::TCP_KEEPCNT,
        4,
        |c, at, v| c.store_u32(at, v as u32),
    )
}

pub fn sockets_tcp_tcp_socket_set_keep_alive_count(
    c: &mut Call,
    this: i32,
    value: i32,
    ret: i32,
) -> Lowered<()> {
    set_opt(
        c,
        this,
        ret,
        libc::IPPROTO_TCP,
        libc::TCP_KEEPCNT,
        positive(i64::from(value as u32)),
    )
}

fn hop_option(c: &mut Call, this: i32) -> Lowered<(i32, i32)> {
    Ok(match socket(c, this)?.family {
        Family::V4 => (libc::IPPROTO_IP, libc::IP_TTL),
        Family::V6 => (libc::IPPROTO_IPV6, libc::IPV6_UNICAST_HOPS),
    })
}

pub fn sockets_tcp_tcp_socket_hop_limit(c: &mut Call, this: i32, ret: i32) -> Lowered<()> {
    let (level, name) = hop_option(c, this)?;
    get_opt(c, this, ret, level, name, 1, |c, at, v| {
        c.store_u8(at, v as u8)
    })
}

pub fn sockets_tcp_tcp_socket_set_hop_limit(
    c: &mut Call,
    this: i32,
    value: i32,
    ret: i32,
) -> Lowered<()> {
    let (level, name) = hop_option(c, this)?;
    set_opt(c, this, ret, level, name, positive(i64::from(value as u8)))
}

pub fn sockets_tcp_tcp_socket_receive_buffer_size(
    c: &mut Call,
    this: i32,
    ret: i32,
) -> Lowered<()> {
    get_opt(
        c,
        this,
        ret,
        libc::SOL_SOCKET,
        libc::SO_RCVBUF,
        8,
        |c, at, v| c.store_u64(at, v as u64),
    )
}

pub fn sockets_tcp_tcp_socket_set_receive_buffer_size(
    c: &mut Call,
    this: i32,
    value: i64,
    ret: i32,
) -> Lowered<()> {
    set_opt(
        c,
        this,
        ret,
        libc::SOL_SOCKET,
        libc::SO_RCVBUF,
        positive(value),
    )
}

pub fn sockets_tcp_tcp_socket_send_buffer_size(c: &mut Call, this: i32, ret: i32) -> Lowered<()> {
    get_opt(
        c,
        this,
        ret,
        libc::SOL_SOCKET,
        libc::SO_SNDBUF,
        8,
        |c, at, v| c.store_u64(at, v as u64),
    )
}

pub fn sockets_tcp_tcp_socket_set_send_buffer_size(
    c: &mut Call,
    this: i32,
    value: i64,
    ret: i32,
) -> Lowered<()> {
    set_opt(
        c,
        this,
        ret,
        libc::SOL_SOCKET,
        libc::SO_SNDBUF,
        positive(value),
    )
}

pub fn sockets_tcp_tcp_socket_subscribe(c: &mut Call, this: i32) -> Lowered<i32> {
    let s = socket(c, this)?;
    let fd = s.fd.as_raw_fd();
    let p = match s.state {
        TcpState::ConnectStarted => Pollable::Fd {
            fd,
            events: libc::POLLOUT,
        },
        TcpState::Listening => Pollable::Fd {
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
