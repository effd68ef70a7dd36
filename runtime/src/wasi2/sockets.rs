//! `wasi:sockets`: network, instance-network, ip-name-lookup, and what
//! TCP ([`super::tcp`]) and UDP ([`super::udp`]) share: the network
//! policy, socket addresses in their canonical ABI forms, error codes.
//!
//! Policy: as wasmtime's `run` does by default, the program gets a
//! network handle, but creating a socket is `access-denied` unless the
//! executable is run with the network inherited
//! ([`Wasi2State::network`](super::Wasi2State), which like wasmtime's
//! `-S inherit-network` allows TCP and UDP too), and name lookup is
//! `permanent-resolver-failure` unless it is allowed on its own
//! ([`Wasi2State::ip_name_lookup`](super::Wasi2State)). Sockets are the
//! host's, non-blocking, with the state machine the interface describes.

use super::resources::Resource;
use super::{Call, Lowered};
use alloc::collections::VecDeque;
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};
use wasmlink_abi::Trap;

pub use super::tcp::TcpSocket;
pub use super::udp::{DatagramStream, UdpSocket};

/// Socket `error-code` numbers.
pub mod code {
    pub const UNKNOWN: u8 = 0;
    pub const ACCESS_DENIED: u8 = 1;
    pub const NOT_SUPPORTED: u8 = 2;
    pub const INVALID_ARGUMENT: u8 = 3;
    pub const OUT_OF_MEMORY: u8 = 4;
    pub const TIMEOUT: u8 = 5;
    pub const CONCURRENCY_CONFLICT: u8 = 6;
    pub const NOT_IN_PROGRESS: u8 = 7;
    pub const WOULD_BLOCK: u8 = 8;
    pub const INVALID_STATE: u8 = 9;
    pub const NEW_SOCKET_LIMIT: u8 = 10;
    pub const ADDRESS_NOT_BINDABLE: u8 = 11;
    pub const ADDRESS_IN_USE: u8 = 12;
    pub const REMOTE_UNREACHABLE: u8 = 13;
    pub const CONNECTION_REFUSED: u8 = 14;
    pub const CONNECTION_RESET: u8 = 15;
    pub const CONNECTION_ABORTED: u8 = 16;
    pub const DATAGRAM_TOO_LARGE: u8 = 17;
    pub const NAME_UNRESOLVABLE: u8 = 18;
    pub const TEMPORARY_RESOLVER_FAILURE: u8 = 19;
    pub const PERMANENT_RESOLVER_FAILURE: u8 = 20;
}

/// A socket result: the value or an `error-code`.
pub type NetResult<T> = Result<T, u8>;

/// The socket `error-code` of a host errno, as wasmtime maps them.
pub fn net_error(e: i32) -> u8 {
    use code::*;
    match e {
        libc::EAGAIN | libc::EINTR => WOULD_BLOCK,
        libc::EACCES | libc::EPERM => ACCESS_DENIED,
        libc::EADDRINUSE => ADDRESS_IN_USE,
        libc::EADDRNOTAVAIL => ADDRESS_NOT_BINDABLE,
        libc::EALREADY => CONCURRENCY_CONFLICT,
        libc::ETIMEDOUT => TIMEOUT,
        libc::ECONNREFUSED => CONNECTION_REFUSED,
        libc::ECONNRESET => CONNECTION_RESET,
        libc::ECONNABORTED => CONNECTION_ABORTED,
        libc::EINVAL => INVALID_ARGUMENT,
        libc::EHOSTUNREACH
        | libc::EHOSTDOWN
        | libc::ENETDOWN
        | libc::ENETUNREACH
        | libc::ENONET => REMOTE_UNREACHABLE,
        libc::EISCONN | libc::ENOTCONN | libc::EDESTADDRREQ => INVALID_STATE,
        libc::EMFILE | libc::ENFILE => NEW_SOCKET_LIMIT,
        libc::EMSGSIZE => DATAGRAM_TOO_LARGE,
        libc::ENOMEM | libc::ENOBUFS => OUT_OF_MEMORY,
        libc::EOPNOTSUPP
        | libc::ENOPROTOOPT
        | libc::EPFNOSUPPORT
        | libc::EPROTONOSUPPORT
        | libc::EPROTOTYPE
        | libc::ESOCKTNOSUPPORT
        | libc::EAFNOSUPPORT => NOT_SUPPORTED,
        _ => UNKNOWN,
    }
}

/// The last host errno as a socket error code.
pub fn last_net_error() -> u8 {
    net_error(crate::sys::errno())
}

/// Store `result<T, error-code>` at `ret` (payload aligned to `align`).
pub fn store_net<T>(
    c: &mut Call,
    ret: i32,
    align: u32,
    r: NetResult<T>,
    ok: impl FnOnce(&mut Call, u32, T) -> Lowered<()>,
) -> Lowered<()> {
    super::fs_types::store_result(c, ret, align, r, ok)
}

pub fn store_net_unit(c: &mut Call, ret: i32, r: NetResult<()>) -> Lowered<()> {
    store_net(c, ret, 1, r, |_, _, ()| Ok(()))
}

/// `ip-address-family`: 0 ipv4, 1 ipv6.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    V4,
    V6,
}

impl Family {
    pub fn from_wit(v: i32) -> Lowered<Family> {
        match v {
            0 => Ok(Family::V4),
            1 => Ok(Family::V6),
            _ => Err(Trap::InvalidArgument),
        }
    }

    pub fn wit(self) -> i32 {
        match self {
            Family::V4 => 0,
            Family::V6 => 1,
        }
    }

    pub fn host(self) -> libc::c_int {
        match self {
            Family::V4 => libc::AF_INET,
            Family::V6 => libc::AF_INET6,
        }
    }

    pub fn of(addr: &SocketAddr) -> Family {
        match addr {
            SocketAddr::V4(_) => Family::V4,
            SocketAddr::V6(_) => Family::V6,
        }
    }
}

/// An `ip-socket-address` from its 12 flat values.
pub fn socket_address(v: [i32; 12]) -> Lowered<SocketAddr> {
    match v[0] {
        0 => {
            let ip = Ipv4Addr::new(v[2] as u8, v[3] as u8, v[4] as u8, v[5] as u8);
            Ok(SocketAddr::V4(SocketAddrV4::new(ip, v[1] as u16)))
        }
        1 => {
            let s = |i: usize| v[i] as u16;
            let ip = Ipv6Addr::new(s(3), s(4), s(5), s(6), s(7), s(8), s(9), s(10));
            Ok(SocketAddr::V6(SocketAddrV6::new(
                ip,
                v[1] as u16,
                v[2] as u32,
                v[11] as u32,
            )))
        }
        _ => Err(Trap::InvalidArgument),
    }
}

/// Size of a stored `ip-socket-address`.
pub const SOCKET_ADDRESS_SIZE: u32 = 32;

/// Store an `ip-socket-address` at `at`.
pub fn store_socket_address(c: &mut Call, at: u32, a: &SocketAddr) -> Lowered<()> {
    c.store(at, &[0u8; SOCKET_ADDRESS_SIZE as usize])?;
    match a {
        SocketAddr::V4(a) => {
            c.store_u8(at, 0)?;
            c.store_u16(at + 4, a.port())?;
            c.store(at + 6, &a.ip().octets())
        }
        SocketAddr::V6(a) => {
            c.store_u8(at, 1)?;
            c.store_u16(at + 4, a.port())?;
            c.store_u32(at + 8, a.flowinfo())?;
            for (i, s) in a.ip().segments().iter().enumerate() {
                c.store_u16(at + 12 + 2 * i as u32, *s)?;
            }
            c.store_u32(at + 28, a.scope_id())
        }
    }
}

/// A host `sockaddr` for `a`.
pub fn to_host(a: &SocketAddr) -> (libc::sockaddr_storage, libc::socklen_t) {
    // SAFETY: an all-zero sockaddr_storage is a valid value of the plain
    // C struct.
    let mut ss: libc::sockaddr_storage = unsafe { core::mem::zeroed() };
    let len = match a {
        SocketAddr::V4(a) => {
            let sin = libc::sockaddr_in {
                sin_family: libc::AF_INET as libc::sa_family_t,
                sin_port: a.port().to_be(),
                sin_addr: libc::in_addr {
                    s_addr: u32::from_ne_bytes(a.ip().octets()),
                },
                sin_zero: [0; 8],
            };
            // SAFETY: sockaddr_storage is larger than and aligned for
            // sockaddr_in; a plain copy of a C struct into it.
            unsafe { core::ptr::write((&mut ss as *mut libc::sockaddr_storage).cast(), sin) };
            core::mem::size_of::<libc::sockaddr_in>()
        }
        SocketAddr::V6(a) => {
            let sin6 = libc::sockaddr_in6 {
                sin6_family: libc::AF_INET6 as libc::sa_family_t,
                sin6_port: a.port().to_be(),
                sin6_flowinfo: a.flowinfo(),
                sin6_addr: libc::in6_addr {
                    s6_addr: a.ip().octets(),
                },
                sin6_scope_id: a.scope_id(),
            };
            // SAFETY: as above, for sockaddr_in6.
            unsafe { core::ptr::write((&mut ss as *mut libc::sockaddr_storage).cast(), sin6) };
            core::mem::size_of::<libc::sockaddr_in6>()
        }
    };
    (ss, len as libc::socklen_t)
}

/// The address in a host `sockaddr_storage`.
pub fn from_host(ss: &libc::sockaddr_storage) -> Option<SocketAddr> {
    match i32::from(ss.ss_family) {
        libc::AF_INET => {
            // SAFETY: the family says the storage holds a sockaddr_in.
            let sin: libc::sockaddr_in =
                unsafe { core::ptr::read((ss as *const libc::sockaddr_storage).cast()) };
            let ip = Ipv4Addr::from(sin.sin_addr.s_addr.to_ne_bytes());
            Some(SocketAddr::V4(SocketAddrV4::new(
                ip,
                u16::from_be(sin.sin_port),
            )))
        }
        libc::AF_INET6 => {
            // SAFETY: the family says the storage holds a sockaddr_in6.
            let sin6: libc::sockaddr_in6 =
                unsafe { core::ptr::read((ss as *const libc::sockaddr_storage).cast()) };
            Some(SocketAddr::V6(SocketAddrV6::new(
                Ipv6Addr::from(sin6.sin6_addr.s6_addr),
                u16::from_be(sin6.sin6_port),
                sin6.sin6_flowinfo,
                sin6.sin6_scope_id,
            )))
        }
        _ => None,
    }
}

/// `getsockname` or `getpeername` of `fd`.
pub fn host_address(fd: i32, peer: bool) -> NetResult<SocketAddr> {
    // SAFETY: an all-zero sockaddr_storage is a valid value.
    let mut ss: libc::sockaddr_storage = unsafe { core::mem::zeroed() };
    let mut len = core::mem::size_of::<libc::sockaddr_storage>() as libc::socklen_t;
    // SAFETY: `ss` and `len` are live locals describing a buffer of
    // `len` bytes, the only memory written; `fd` is held open by its
    // socket resource.
    let r = unsafe {
        if peer {
            libc::getpeername(
                fd,
                (&mut ss as *mut libc::sockaddr_storage).cast(),
                &mut len,
            )
        } else {
            libc::getsockname(
                fd,
                (&mut ss as *mut libc::sockaddr_storage).cast(),
                &mut len,
            )
        }
    };
    if r < 0 {
        return Err(last_net_error());
    }
    from_host(&ss).ok_or(code::UNKNOWN)
}

/// Whether the program may bind, connect and accept.
pub fn network_allowed(c: &Call) -> bool {
    c.ctx.p2.network
}

/// Whether the program may look names up.
pub fn name_lookup_allowed(c: &Call) -> bool {
    c.ctx.p2.ip_name_lookup
}

/// Check the `network` handle argument.
pub fn check_network(c: &mut Call, network: i32) -> Lowered<()> {
    match c.table().get(network as u32)? {
        Resource::Network => Ok(()),
        _ => Err(Trap::InvalidResourceHandle),
    }
}

pub fn sockets_instance_network_instance_network(c: &mut Call) -> Lowered<i32> {
    c.own(Resource::Network).map(|h| h as i32)
}

pub fn sockets_network_network_drop(c: &mut Call, handle: i32) -> Lowered<()> {
    c.table()
        .remove_unit(handle as u32, |r| matches!(r, Resource::Network))
}

/// `resolve-address-stream`: the addresses found, handed out one by one.
#[derive(Debug, Default)]
pub struct ResolveAddresses {
    pub addresses: VecDeque<IpAddr>,
}

/// Resolve `name` with the host resolver. As in wasmtime: an IP address
/// (IPv6 with or without brackets) is itself, anything else must be a
/// valid domain name (`invalid-argument` otherwise), and a failed lookup is
/// `name-unresolvable`. The addresses come in the resolver's order,
/// IPv4-mapped ones as IPv4.
fn lookup(name: &str) -> NetResult<VecDeque<IpAddr>> {
    let bare = name
        .strip_prefix('[')
        .and_then(|n| n.strip_suffix(']'))
        .unwrap_or(name);
    if let Ok(ip) = bare.parse::<Ipv6Addr>() {
        return Ok(VecDeque::from([IpAddr::V6(ip)]));
    }
    if bare.len() == name.len() {
        if let Ok(ip) = name.parse::<Ipv4Addr>() {
            return Ok(VecDeque::from([IpAddr::V4(ip)]));
        }
    }
    if !valid_domain(name) {
        return Err(code::INVALID_ARGUMENT);
    }
    resolve(name)
        .map(|list| list.into_iter().map(|ip| ip.to_canonical()).collect())
        .ok_or(code::NAME_UNRESOLVABLE)
}

/// The host resolver's addresses for `name` (no NUL in it), in its order:
/// `getaddrinfo` asked for stream sockets, so each address comes once, as
/// `std`'s `ToSocketAddrs` asks. `None` when the lookup fails.
fn resolve(name: &str) -> Option<VecDeque<IpAddr>> {
    let host = alloc::ffi::CString::new(name).ok()?;
    // SAFETY: an all-zero addrinfo is a valid value of the plain C struct
    // (null pointers, no flags).
    let mut hints: libc::addrinfo = unsafe { core::mem::zeroed() };
    hints.ai_socktype = libc::SOCK_STREAM;
    let mut list: *mut libc::addrinfo = core::ptr::null_mut();
    // SAFETY: `host` is NUL-terminated, `hints` and `list` are live
    // locals; on success `list` is a list getaddrinfo allocated, freed
    // once below.
    if unsafe { libc::getaddrinfo(host.as_ptr(), core::ptr::null(), &hints, &mut list) } != 0 {
        return None;
    }
    let mut out = VecDeque::new();
    let mut entry = list;
    while !entry.is_null() {
        // SAFETY: a node of the list, alive until freeaddrinfo.
        let ai = unsafe { &*entry };
        let len = (ai.ai_addrlen as usize).min(core::mem::size_of::<libc::sockaddr_storage>());
        if !ai.ai_addr.is_null() {
            // SAFETY: all-zero is a valid sockaddr_storage; `ai_addr`
            // points to `ai_addrlen` bytes, of which at most its size are
            // copied into it.
            let ss = unsafe {
                let mut ss: libc::sockaddr_storage = core::mem::zeroed();
                core::ptr::copy_nonoverlapping(
                    ai.ai_addr.cast::<u8>(),
                    (&mut ss as *mut libc::sockaddr_storage).cast::<u8>(),
                    len,
                );
                ss
            };
            // Other families than IPv4 and IPv6 are skipped, as by std.
            if let Some(a) = from_host(&ss) {
                out.push_back(a.ip());
            }
        }
        entry = ai.ai_next;
    }
    // SAFETY: the list getaddrinfo returned, freed once, not used after.
    unsafe { libc::freeaddrinfo(list) };
    Some(out)
}

/// Whether `name` is a host name the resolver may be asked about: not
/// empty, no characters a URL host forbids (the check wasmtime makes with
/// `url::Host::parse`, for ASCII names).
fn valid_domain(name: &str) -> bool {
    const FORBIDDEN: &[u8] = b"\0\t\n\r #/:<>?@[\\]^|%";
    !name.is_empty()
        && name.len() <= 253
        && name
            .bytes()
            .all(|b| b.is_ascii_graphic() && !FORBIDDEN.contains(&b))
}

pub fn sockets_ip_name_lookup_resolve_addresses(
    c: &mut Call,
    network: i32,
    name_0: i32,
    name_1: i32,
    ret: i32,
) -> Lowered<()> {
    check_network(c, network)?;
    let name = c.load_string(name_0, name_1)?;
    // The permission is checked first, as in wasmtime: a denied program
    // learns nothing about the name.
    let r = if name_lookup_allowed(c) {
        lookup(&name)
    } else {
        Err(code::PERMANENT_RESOLVER_FAILURE)
    };
    let r = match r {
        Ok(addresses) => Ok(c.own(Resource::ResolveAddresses(ResolveAddresses { addresses }))?),
        Err(e) => Err(e),
    };
    store_net(c, ret, 4, r, |c, at, h| c.store_u32(at, h))
}

pub fn sockets_ip_name_lookup_resolve_address_stream_resolve_next_address(
    c: &mut Call,
    this: i32,
    ret: i32,
) -> Lowered<()> {
    let next = c.table().resolver_mut(this as u32)?.addresses.pop_front();
    // result<option<ip-address>, error-code>: payload at 2; the option's
    // payload at 4 (discriminant), 6 (address).
    store_net(c, ret, 2, Ok(next), |c, at, ip| match ip {
        None => c.store_u8(at, 0),
        Some(IpAddr::V4(ip)) => {
            c.store_u8(at, 1)?;
            c.store_u8(at + 2, 0)?;
            c.store(at + 4, &ip.octets())
        }
        Some(IpAddr::V6(ip)) => {
            c.store_u8(at, 1)?;
            c.store_u8(at + 2, 1)?;
            for (i, s) in ip.segments().iter().enumerate() {
                c.store_u16(at + 4 + 2 * i as u32, *s)?;
            }
            Ok(())
        }
    })
}

pub fn sockets_ip_name_lookup_resolve_address_stream_subscribe(
    c: &mut Call,
    this: i32,
) -> Lowered<i32> {
    c.table().resolver(this as u32)?;
    super::poll::subscribe(c, this as u32, super::resources::Pollable::Ready)
}

pub fn sockets_ip_name_lookup_resolve_address_stream_drop(
    c: &mut Call,
    handle: i32,
) -> Lowered<()> {
    c.table().remove_resolver(handle as u32).map(drop)
}

/// Read an integer socket option.
pub fn get_option(fd: i32, level: i32, name: i32) -> NetResult<i32> {
    let mut v: libc::c_int = 0;
    let mut len = core::mem::size_of::<libc::c_int>() as libc::socklen_t;
    // SAFETY: `v` and `len` are live locals describing an int, the only
    // memory written; `fd` is held open by its socket resource.
    let r = unsafe {
        libc::getsockopt(
            fd,
            level,
            name,
            (&mut v as *mut libc::c_int).cast(),
            &mut len,
        )
    };
    if r < 0 {
        return Err(last_net_error());
    }
    Ok(v)
}

/// Set an integer socket option.
pub fn set_option(fd: i32, level: i32, name: i32, value: i32) -> NetResult<()> {
    // SAFETY: reads one int from a live local; `fd` is held open by its
    // socket resource.
    let r = unsafe {
        libc::setsockopt(
            fd,
            level,
            name,
            (&value as *const libc::c_int).cast(),
            core::mem::size_of::<libc::c_int>() as libc::socklen_t,
        )
    };
    if r < 0 {
        return Err(last_net_error());
    }
    Ok(())
}

/// A new non-blocking host socket.
pub fn new_socket(family: Family, kind: i32) -> NetResult<crate::platform::fd::OwnedFd> {
    use crate::platform::fd::FromRawFd;
    // SAFETY: no pointers.
    let fd = unsafe {
        libc::socket(
            family.host(),
            kind | libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC,
            0,
        )
    };
    if fd < 0 {
        return Err(last_net_error());
    }
    // SAFETY: `socket` just returned `fd`: open, and owned by nothing
    // else.
    let owned = unsafe { crate::platform::fd::OwnedFd::from_raw_fd(fd) };
    if family == Family::V6 {
        // As wasmtime: IPv6 sockets never carry IPv4 traffic.
        set_option(fd, libc::IPPROTO_IPV6, libc::IPV6_V6ONLY, 1)?;
    }
    Ok(owned)
}

/// Addresses a socket can never bind or talk to, per the interface (and
/// wasmtime's `is_valid_address_family`): another family, or on an IPv6
/// socket an IPv4-mapped or deprecated IPv4-compatible address.
pub fn check_address(family: Family, a: &SocketAddr) -> NetResult<()> {
    let ok = match a {
        SocketAddr::V4(_) => family == Family::V4,
        SocketAddr::V6(v6) => {
            let ip = *v6.ip();
            let compatible = matches!(ip.segments(), [0, 0, 0, 0, 0, 0, _, _])
                && ip != Ipv6Addr::UNSPECIFIED
                && ip != Ipv6Addr::LOCALHOST;
            family == Family::V6 && !compatible && ip.to_ipv4_mapped().is_none()
        }
    };
    if ok {
        Ok(())
    } else {
        Err(code::INVALID_ARGUMENT)
    }
}

/// A TCP socket binds or connects only to a unicast address.
pub fn is_unicast(ip: IpAddr) -> bool {
    match ip.to_canonical() {
        IpAddr::V4(v4) => !v4.is_multicast() && !v4.is_broadcast(),
        IpAddr::V6(v6) => !v6.is_multicast(),
    }
}

/// A remote address names a port on a host.
pub fn is_remote(a: &SocketAddr) -> bool {
    !a.ip().to_canonical().is_unspecified() && a.port() != 0
}

/// `bind(2)`. `EAFNOSUPPORT` is an address the family check missed:
/// `invalid-argument`, as in wasmtime.
pub fn host_bind(fd: i32, a: &SocketAddr) -> NetResult<()> {
    let (ss, len) = to_host(a);
    // SAFETY: `ss` is a live sockaddr of `len` bytes, only read.
    let r = unsafe { libc::bind(fd, (&ss as *const libc::sockaddr_storage).cast(), len) };
    if r < 0 {
        return Err(match crate::sys::errno() {
            libc::EAFNOSUPPORT => code::INVALID_ARGUMENT,
            e => net_error(e),
        });
    }
    Ok(())
}

/// A buffer size as the interface reports it: Linux doubles what it is
/// asked for (the bookkeeping overhead) and reports that, so it is halved
/// back, as wasmtime does.
pub fn reported_buffer_size(v: i32) -> u64 {
    (v.max(0) as u64) / 2
}

/// Set `SO_RCVBUF`/`SO_SNDBUF`: 0 is `invalid-argument`, anything else is
/// clamped to what the host takes, and `ENOBUFS` (over the host's limit)
/// is no error, as in wasmtime.
pub fn set_buffer_size(fd: i32, name: i32, value: i64) -> NetResult<()> {
    let value = value as u64;
    if value == 0 {
        return Err(code::INVALID_ARGUMENT);
    }
    let v = value.min(i32::MAX as u64) as i32;
    match set_option(fd, libc::SOL_SOCKET, name, v) {
        Err(code::OUT_OF_MEMORY) if crate::sys::errno() == libc::ENOBUFS => Ok(()),
        r => r,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_round_trip() {
        let v4 = socket_address([0, 8080, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0]).unwrap();
        assert_eq!(v4, "127.0.0.1:8080".parse().unwrap());
        let (ss, _) = to_host(&v4);
        assert_eq!(from_host(&ss), Some(v4));
        let v6 = socket_address([1, 9, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0]).unwrap();
        assert_eq!(v6, "[::1]:9".parse().unwrap());
        let (ss, _) = to_host(&v6);
        assert_eq!(from_host(&ss), Some(v6));
        assert!(socket_address([2; 12]).is_err());
        assert_eq!(check_address(Family::V4, &v6), Err(code::INVALID_ARGUMENT));
        let mapped: SocketAddr = "[::ffff:127.0.0.1]:1".parse().unwrap();
        assert_eq!(
            check_address(Family::V6, &mapped),
            Err(code::INVALID_ARGUMENT)
        );
        let compatible: SocketAddr = "[::127.0.0.1]:1".parse().unwrap();
        assert_eq!(
            check_address(Family::V6, &compatible),
            Err(code::INVALID_ARGUMENT)
        );
        assert!(check_address(Family::V6, &"[::1]:1".parse().unwrap()).is_ok());
        assert!(!is_unicast("224.0.0.1".parse().unwrap()));
        assert!(!is_unicast("255.255.255.255".parse().unwrap()));
        assert!(is_unicast("127.0.0.1".parse().unwrap()));
        assert!(!is_remote(&"[::ffff:0.0.0.0]:1".parse().unwrap()));
    }

    #[test]
    fn name_literals_and_validity() {
        assert_eq!(
            lookup("127.0.0.1").unwrap(),
            VecDeque::from(["127.0.0.1".parse::<IpAddr>().unwrap()])
        );
        assert_eq!(lookup("[::1]").unwrap().len(), 1);
        assert_eq!(lookup("::1").unwrap().len(), 1);
        assert_eq!(lookup("[127.0.0.1]"), Err(code::INVALID_ARGUMENT));
        assert_eq!(lookup(""), Err(code::INVALID_ARGUMENT));
        assert_eq!(lookup("a b"), Err(code::INVALID_ARGUMENT));
        assert_eq!(lookup("host:80"), Err(code::INVALID_ARGUMENT));
        // The host resolver's answer, as std's gives it.
        use std::net::ToSocketAddrs;
        let std: Vec<IpAddr> = ("localhost", 0)
            .to_socket_addrs()
            .unwrap()
            .map(|a| a.ip())
            .collect();
        assert_eq!(resolve("localhost").unwrap(), std);
    }
}
