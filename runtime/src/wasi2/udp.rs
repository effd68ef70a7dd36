//! `wasi:sockets/udp` and `udp-create-socket`: host UDP sockets, bound in
//! two steps, then `stream` (optionally connected to one remote address)
//! gives the incoming and outgoing datagram streams; subject to the
//! network policy of [`super::sockets`]. Checks and limits are
//! wasmtime's: at most 16 datagrams a `check-send` grants (sending more
//! traps) or a `receive` returns, datagrams up to 65535 bytes.

use super::resources::{Pollable, Resource};
use super::sockets::{
    check_address, check_network, code, from_host, get_option, host_address, host_bind, is_remote,
    last_net_error, network_allowed, new_socket, reported_buffer_size, set_buffer_size, set_option,
    socket_address, store_net, store_net_unit, store_socket_address, to_host, Family, NetResult,
    SOCKET_ADDRESS_SIZE,
};
use super::{Call, Lowered};
use crate::platform::fd::{AsRawFd, OwnedFd};
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::net::SocketAddr;
use wasmlink_abi::Trap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UdpState {
    Unbound,
    /// Bound, `finish-bind` not yet called.
    BindStarted,
    Bound,
}

#[derive(Debug)]
pub struct UdpSocket {
    pub fd: Arc<OwnedFd>,
    pub family: Family,
    pub state: UdpState,
    /// The remote address `stream` connected to, if any.
    pub remote: Option<SocketAddr>,
}

/// An incoming or outgoing datagram stream of a socket.
#[derive(Debug)]
pub struct DatagramStream {
    pub fd: Arc<OwnedFd>,
    pub family: Family,
    pub remote: Option<SocketAddr>,
    /// Datagrams the last `check-send` allowed (outgoing streams).
    pub permits: u64,
}

/// The largest datagram sent or received.
const MAX_DATAGRAM: usize = u16::MAX as usize;

/// What `check-send` grants and `receive` returns at most, as in wasmtime.
const MAX_DATAGRAMS: u64 = 16;

fn socket<'c>(c: &'c mut Call, this: i32) -> Lowered<&'c mut UdpSocket> {
    c.table().udp_mut(this as u32)
}

pub fn sockets_udp_create_socket_create_udp_socket(
    c: &mut Call,
    address_family: i32,
    ret: i32,
) -> Lowered<()> {
    let family = Family::from_wit(address_family)?;
    // Without the network, no socket at all, as in wasmtime.
    let socket = if network_allowed(c) {
        new_socket(family, libc::SOCK_DGRAM)
    } else {
        Err(code::ACCESS_DENIED)
    };
    let r = match socket {
        Ok(fd) => Ok(c.own(Resource::UdpSocket(UdpSocket {
            fd: Arc::new(fd),
            family,
            state: UdpState::Unbound,
            remote: None,
        }))?),
        Err(e) => Err(e),
    };
    store_net(c, ret, 4, r, |c, at, h| c.store_u32(at, h))
}

#[allow(clippy::too_many_arguments)]
pub fn sockets_udp_udp_socket_start_bind(
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
        match s.state {
            UdpState::BindStarted => return Err(code::CONCURRENCY_CONFLICT),
            UdpState::Bound => return Err(code::INVALID_STATE),
            UdpState::Unbound => {}
        }
        check_address(s.family, &addr)?;
        if !allowed {
            return Err(code::ACCESS_DENIED);
        }
        host_bind(s.fd.as_raw_fd(), &addr)?;
        s.state = UdpState::BindStarted;
        Ok(())
    })();
    store_net_unit(c, ret, r)
}

pub fn sockets_udp_udp_socket_finish_bind(c: &mut Call, this: i32, ret: i32) -> Lowered<()> {
    let s = socket(c, this)?;
    let r = if s.state == UdpState::BindStarted {
        // The host bind is done; only the operation ends here.
        s.state = UdpState::Bound;
        Ok(())
    } else {
        Err(code::NOT_IN_PROGRESS)
    };
    store_net_unit(c, ret, r)
}

/// `%stream(option<ip-socket-address>) -> result<tuple<incoming,
/// outgoing>, error-code>`.
#[allow(clippy::too_many_arguments)]
pub fn sockets_udp_udp_socket_stream(
    c: &mut Call,
    this: i32,
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
    remote_address_12: i32,
    ret: i32,
) -> Lowered<()> {
    let remote = match remote_address_0 {
        0 => None,
        1 => Some(socket_address([
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
            remote_address_12,
        ])?),
        _ => return Err(Trap::InvalidArgument),
    };
    let s = socket(c, this)?;
    let r: NetResult<(Arc<OwnedFd>, Family)> = (|| {
        // Bound on the host is enough, `finish-bind` or not, as in
        // wasmtime.
        if s.state == UdpState::Unbound {
            return Err(code::INVALID_STATE);
        }
        let fd = s.fd.as_raw_fd();
        match &remote {
            Some(a) => {
                check_address(s.family, a)?;
                if !is_remote(a) {
                    return Err(code::INVALID_ARGUMENT);
                }
                let (ss, len) = to_host(a);
                // SAFETY: `ss` is a live sockaddr of `len` bytes, only
                // read; the socket is held open by its resource.
                if unsafe { libc::connect(fd, (&ss as *const libc::sockaddr_storage).cast(), len) }
                    < 0
                {
                    return Err(last_net_error());
                }
            }
            None if s.remote.is_some() => {
                // Disconnect: connect to AF_UNSPEC.
                // SAFETY: an all-zero sockaddr is a valid value; read only.
                let unspec: libc::sockaddr = unsafe { core::mem::zeroed() };
                // SAFETY: as above.
                unsafe {
                    libc::connect(
                        fd,
                        &unspec,
                        core::mem::size_of::<libc::sockaddr>() as libc::socklen_t,
                    )
                };
            }
            None => {}
        }
        s.remote = remote;
        Ok((Arc::clone(&s.fd), s.family))
    })();
    let r = match r {
        Ok((fd, family)) => {
            // Children of the socket, which outlives them (as in wasmtime).
            let incoming = Resource::IncomingDatagrams(DatagramStream {
                fd: Arc::clone(&fd),
                family,
                remote,
                permits: 0,
            });
            let i = c.table().insert(incoming, Some(this as u32))?;
            let outgoing = Resource::OutgoingDatagrams(DatagramStream {
                fd,
                family,
                remote,
                permits: 0,
            });
            let o = c.table().insert(outgoing, Some(this as u32))?;
            Ok((i, o))
        }
        Err(e) => Err(e),
    };
    store_net(c, ret, 4, r, |c, at, (i, o)| {
        c.store_u32(at, i)?;
        c.store_u32(at + 4, o)
    })
}

fn address(c: &mut Call, this: i32, peer: bool, ret: i32) -> Lowered<()> {
    let s = socket(c, this)?;
    let r = match (s.state, peer, s.remote) {
        (_, true, Some(_)) => host_address(s.fd.as_raw_fd(), peer),
        (UdpState::BindStarted | UdpState::Bound, false, _) => host_address(s.fd.as_raw_fd(), peer),
        _ => Err(code::INVALID_STATE),
    };
    store_net(c, ret, 4, r, |c, at, a| store_socket_address(c, at, &a))
}

pub fn sockets_udp_udp_socket_local_address(c: &mut Call, this: i32, ret: i32) -> Lowered<()> {
    address(c, this, false, ret)
}

pub fn sockets_udp_udp_socket_remote_address(c: &mut Call, this: i32, ret: i32) -> Lowered<()> {
    address(c, this, true, ret)
}

pub fn sockets_udp_udp_socket_address_family(c: &mut Call, this: i32) -> Lowered<i32> {
    Ok(socket(c, this)?.family.wit())
}

fn option_of(
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

fn hops(c: &mut Call, this: i32) -> Lowered<(i32, i32)> {
    Ok(match socket(c, this)?.family {
        Family::V4 => (libc::IPPROTO_IP, libc::IP_TTL),
        Family::V6 => (libc::IPPROTO_IPV6, libc::IPV6_UNICAST_HOPS),
    })
}

pub fn sockets_udp_udp_socket_unicast_hop_limit(c: &mut Call, this: i32, ret: i32) -> Lowered<()> {
    let (level, name) = hops(c, this)?;
    option_of(c, this, ret, level, name, 1, |c, at, v| {
        c.store_u8(at, v as u8)
    })
}

pub fn sockets_udp_udp_socket_set_unicast_hop_limit(
    c: &mut Call,
    this: i32,
    value: i32,
    ret: i32,
) -> Lowered<()> {
    let (level, name) = hops(c, this)?;
    let fd = socket(c, this)?.fd.as_raw_fd();
    let r = match value as u8 {
        0 => Err(code::INVALID_ARGUMENT),
        v => set_option(fd, level, name, i32::from(v)),
    };
    store_net_unit(c, ret, r)
}

fn set_buffer(c: &mut Call, this: i32, name: i32, value: i64, ret: i32) -> Lowered<()> {
    let fd = socket(c, this)?.fd.as_raw_fd();
    let r = set_buffer_size(fd, name, value);
    store_net_unit(c, ret, r)
}

pub fn sockets_udp_udp_socket_receive_buffer_size(
    c: &mut Call,
    this: i32,
    ret: i32,
) -> Lowered<()> {
    option_of(
        c,
        this,
        ret,
        libc::SOL_SOCKET,
        libc::SO_RCVBUF,
        8,
        |c, at, v| c.store_u64(at, reported_buffer_size(v)),
    )
}

pub fn sockets_udp_udp_socket_set_receive_buffer_size(
    c: &mut Call,
    this: i32,
    value: i64,
    ret: i32,
) -> Lowered<()> {
    set_buffer(c, this, libc::SO_RCVBUF, value, ret)
}

pub fn sockets_udp_udp_socket_send_buffer_size(c: &mut Call, this: i32, ret: i32) -> Lowered<()> {
    option_of(
        c,
        this,
        ret,
        libc::SOL_SOCKET,
        libc::SO_SNDBUF,
        8,
        |c, at, v| c.store_u64(at, reported_buffer_size(v)),
    )
}

pub fn sockets_udp_udp_socket_set_send_buffer_size(
    c: &mut Call,
    this: i32,
    value: i64,
    ret: i32,
) -> Lowered<()> {
    set_buffer(c, this, libc::SO_SNDBUF, value, ret)
}

pub fn sockets_udp_udp_socket_subscribe(c: &mut Call, this: i32) -> Lowered<i32> {
    socket(c, this)?;
    super::poll::subscribe(c, this as u32, Pollable::Ready)
}

/// Size of a stored `incoming-datagram`.
const INCOMING_SIZE: u32 = 8 + SOCKET_ADDRESS_SIZE;

/// `receive(max-results) -> result<list<incoming-datagram>, error-code>`:
/// what has arrived, without waiting.
pub fn sockets_udp_incoming_datagram_stream_receive(
    c: &mut Call,
    this: i32,
    max_results: i64,
    ret: i32,
) -> Lowered<()> {
    let s = c.table().incoming(this as u32)?;
    let fd = s.fd.as_raw_fd();
    let mut got: Vec<(Vec<u8>, SocketAddr)> = Vec::new();
    let mut err = None;
    while (got.len() as u64) < (max_results as u64).min(MAX_DATAGRAMS) {
        let mut buf = vec![0u8; MAX_DATAGRAM];
        // A datagram from elsewhere than the connected address is dropped,
        // as wasmtime does: Linux filters when a datagram arrives, not
        // when it is read, so some queued before `stream` may remain.
        // SAFETY: an all-zero sockaddr_storage is a valid value.
        let mut ss: libc::sockaddr_storage = unsafe { core::mem::zeroed() };
        let mut len = core::mem::size_of::<libc::sockaddr_storage>() as libc::socklen_t;
        // SAFETY: `buf`, `ss` and `len` are live locals describing the
        // buffers recvfrom writes; the socket is held open by the stream.
        let n = unsafe {
            libc::recvfrom(
                fd,
                buf.as_mut_ptr().cast(),
                buf.len(),
                libc::MSG_DONTWAIT,
                (&mut ss as *mut libc::sockaddr_storage).cast(),
                &mut len,
            )
        };
        if n < 0 {
            match crate::sys::errno() {
                libc::EAGAIN => {}
                libc::EINTR => continue,
                e => err = Some(super::sockets::net_error(e)),
            }
            break;
        }
        buf.truncate(n as usize);
        if let Some(from) = from_host(&ss) {
            if s.remote.is_none_or(|r| r == from) {
                got.push((buf, from));
            }
        }
    }
    let r = match err {
        Some(e) if got.is_empty() => Err(e),
        _ => Ok(got),
    };
    store_net(c, ret, 4, r, |c, at, list| {
        let (p, n) = c.store_list(list.len(), INCOMING_SIZE, 4, |c, el, i| {
            let (dp, dn) = c.store_list_u8(&list[i].0)?;
            c.store_u32(el, dp)?;
            c.store_u32(el + 4, dn)?;
            store_socket_address(c, el + 8, &list[i].1)
        })?;
        c.store_u32(at, p)?;
        c.store_u32(at + 4, n)
    })
}

pub fn sockets_udp_incoming_datagram_stream_subscribe(c: &mut Call, this: i32) -> Lowered<i32> {
    let fd = c.table().incoming(this as u32)?.fd.as_raw_fd();
    super::poll::subscribe(
        c,
        this as u32,
        Pollable::Fd {
            fd,
            events: libc::POLLIN,
        },
    )
}

pub fn sockets_udp_outgoing_datagram_stream_check_send(
    c: &mut Call,
    this: i32,
    ret: i32,
) -> Lowered<()> {
    c.table().outgoing_mut(this as u32)?.permits = MAX_DATAGRAMS;
    store_net(c, ret, 8, Ok(MAX_DATAGRAMS), |c, at, n| c.store_u64(at, n))
}

/// Size of a stored `outgoing-datagram`.
const OUTGOING_SIZE: u32 = 12 + SOCKET_ADDRESS_SIZE;

/// Read the `ip-socket-address` stored at `at`.
fn load_socket_address(c: &Call, at: u32) -> Lowered<SocketAddr> {
    let b = c.load_bytes(at as i32, SOCKET_ADDRESS_SIZE as i32)?;
    let u16_at = |o: usize| i32::from(u16::from_le_bytes([b[o], b[o + 1]]));
    let u32_at = |o: usize| u32::from_le_bytes([b[o], b[o + 1], b[o + 2], b[o + 3]]) as i32;
    match b[0] {
        0 => socket_address([
            0,
            u16_at(4),
            i32::from(b[6]),
            i32::from(b[7]),
            i32::from(b[8]),
            i32::from(b[9]),
            0,
            0,
            0,
            0,
            0,
            0,
        ]),
        1 => {
            let mut v = [0i32; 12];
            v[0] = 1;
            v[1] = u16_at(4);
            v[2] = u32_at(8);
            for i in 0..8 {
                v[3 + i] = u16_at(12 + 2 * i);
            }
            v[11] = u32_at(28);
            socket_address(v)
        }
        _ => Err(Trap::InvalidArgument),
    }
}

/// `send(list<outgoing-datagram>) -> result<u64, error-code>`.
pub fn sockets_udp_outgoing_datagram_stream_send(
    c: &mut Call,
    this: i32,
    datagrams_0: i32,
    datagrams_1: i32,
    ret: i32,
) -> Lowered<()> {
    let (base, n) = (datagrams_0 as u32, datagrams_1 as u32);
    let (fd, family, remote) = {
        let s = c.table().outgoing_mut(this as u32)?;
        if n == 0 {
            return store_net(c, ret, 8, Ok(0u64), |c, at, n| c.store_u64(at, n));
        }
        // More than `check-send` allowed is a guest bug: wasmtime traps.
        if u64::from(n) > s.permits {
            return Err(Trap::InvalidArgument);
        }
        s.permits = 0;
        (s.fd.as_raw_fd(), s.family, s.remote)
    };
    let mut sent = 0u64;
    let mut err = None;
    for i in 0..n {
        let el = base
            .checked_add(
                i.checked_mul(OUTGOING_SIZE)
                    .ok_or(Trap::MemoryOutOfBounds)?,
            )
            .ok_or(Trap::MemoryOutOfBounds)?;
        let (dp, dn) = (c.load_u32(el)?, c.load_u32(el + 4)?);
        let data = c.load_bytes(dp as i32, dn as i32)?;
        if data.len() > MAX_DATAGRAM {
            err = Some(code::DATAGRAM_TOO_LARGE);
            break;
        }
        let to = match c.load_bytes(el as i32 + 8, 1)?[0] {
            0 => None,
            1 => Some(load_socket_address(c, el + 12)?),
            _ => return Err(Trap::InvalidArgument),
        };
        let target = match (to, remote) {
            (Some(a), Some(r)) if a != r => {
                err = Some(code::INVALID_ARGUMENT);
                break;
            }
            (Some(a), _) => Some(a),
            (None, Some(_)) => None,
            (None, None) => {
                err = Some(code::INVALID_ARGUMENT);
                break;
            }
        };
        if let Some(a) = &target {
            if let Err(e) = check_address(family, a) {
                err = Some(e);
                break;
            }
            if !is_remote(a) {
                err = Some(code::INVALID_ARGUMENT);
                break;
            }
        }
        // SAFETY: `data` is a live host buffer, only read; the address
        // (when given) is a live sockaddr of its length; the socket is
        // held open by the stream.
        let r = unsafe {
            match (&target, remote) {
                (Some(a), None) => {
                    let (ss, len) = to_host(a);
                    libc::sendto(
                        fd,
                        data.as_ptr().cast(),
                        data.len(),
                        libc::MSG_DONTWAIT,
                        (&ss as *const libc::sockaddr_storage).cast(),
                        len,
                    )
                }
                _ => libc::send(fd, data.as_ptr().cast(), data.len(), libc::MSG_DONTWAIT),
            }
        };
        if r < 0 {
            // A full send buffer ends the batch: what was sent counts.
            let e = last_net_error();
            if e != code::WOULD_BLOCK {
                err = Some(e);
            }
            break;
        }
        sent += 1;
    }
    let r = match err {
        Some(e) if sent == 0 => Err(e),
        _ => Ok(sent),
    };
    store_net(c, ret, 8, r, |c, at, n| c.store_u64(at, n))
}

pub fn sockets_udp_outgoing_datagram_stream_subscribe(c: &mut Call, this: i32) -> Lowered<i32> {
    c.table().outgoing(this as u32)?;
    super::poll::subscribe(c, this as u32, Pollable::Ready)
}

pub fn sockets_udp_udp_socket_drop(c: &mut Call, handle: i32) -> Lowered<()> {
    c.table().remove_udp(handle as u32).map(drop)
}

pub fn sockets_udp_incoming_datagram_stream_drop(c: &mut Call, handle: i32) -> Lowered<()> {
    c.table().remove_incoming(handle as u32).map(drop)
}

pub fn sockets_udp_outgoing_datagram_stream_drop(c: &mut Call, handle: i32) -> Lowered<()> {
    c.table().remove_outgoing(handle as u32).map(drop)
}
