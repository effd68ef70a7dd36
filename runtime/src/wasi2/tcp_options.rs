//! The options of `wasi:sockets/tcp` sockets: keep-alive, hop limit and
//! buffer sizes, with wasmtime's checks and clamping (0 is
//! `invalid-argument`, anything else is brought within what the host
//! takes), and the listen backlog.

use super::sockets::{
    code, get_option, reported_buffer_size, set_buffer_size, set_option, store_net, store_net_unit,
    Family, NetResult,
};
use super::tcp::{TcpSocket, TcpState};
use super::{Call, Lowered};
use crate::platform::fd::AsRawFd;

const NANOS_PER_SEC: u64 = 1_000_000_000;

/// The descriptor an option is read or set on: none while connecting (the
/// socket is the connection attempt's) or once a connection failed.
fn option_fd(s: &TcpSocket) -> NetResult<i32> {
    match s.state {
        TcpState::Connecting(_) => Err(code::INVALID_STATE),
        TcpState::Closed(e) => Err(e),
        _ => Ok(s.fd.as_raw_fd()),
    }
}

fn with_socket<T>(
    c: &mut Call,
    this: i32,
    f: impl FnOnce(&mut TcpSocket) -> NetResult<T>,
) -> Lowered<NetResult<T>> {
    Ok(f(c.table().tcp_mut(this as u32)?))
}

/// Read an integer option and store it as `result<T, error-code>`
/// (payload at `align`).
fn get_opt(
    c: &mut Call,
    this: i32,
    ret: i32,
    (level, name): (i32, i32),
    align: u32,
    store: fn(&mut Call, u32, i32) -> Lowered<()>,
) -> Lowered<()> {
    let r = with_socket(c, this, |s| get_option(option_fd(s)?, level, name))?;
    store_net(c, ret, align, r, store)
}

fn set_opt(
    c: &mut Call,
    this: i32,
    ret: i32,
    (level, name): (i32, i32),
    value: NetResult<i32>,
) -> Lowered<()> {
    let r = with_socket(c, this, |s| {
        let v = value?;
        set_option(option_fd(s)?, level, name, v)
    })?;
    store_net_unit(c, ret, r)
}

/// Nanoseconds as the whole seconds the host takes, clamped as wasmtime
/// does to 1 s … 32767 s (Linux's maximum).
fn keep_alive_seconds(ns: i64) -> NetResult<i32> {
    let ns = ns as u64;
    if ns == 0 {
        return Err(code::INVALID_ARGUMENT);
    }
    let ns = ns.clamp(NANOS_PER_SEC, i16::MAX as u64 * NANOS_PER_SEC);
    Ok((ns / NANOS_PER_SEC) as i32)
}

fn store_seconds(c: &mut Call, at: u32, v: i32) -> Lowered<()> {
    c.store_u64(at, v.max(0) as u64 * NANOS_PER_SEC)
}

fn store_buffer_size(c: &mut Call, at: u32, v: i32) -> Lowered<()> {
    c.store_u64(at, reported_buffer_size(v))
}

const KEEPALIVE: (i32, i32) = (libc::SOL_SOCKET, libc::SO_KEEPALIVE);
const KEEPIDLE: (i32, i32) = (libc::IPPROTO_TCP, libc::TCP_KEEPIDLE);
const KEEPINTVL: (i32, i32) = (libc::IPPROTO_TCP, libc::TCP_KEEPINTVL);
const KEEPCNT: (i32, i32) = (libc::IPPROTO_TCP, libc::TCP_KEEPCNT);

pub fn sockets_tcp_tcp_socket_set_listen_backlog_size(
    c: &mut Call,
    this: i32,
    value: i64,
    ret: i32,
) -> Lowered<()> {
    let r = with_socket(c, this, |s| {
        let value = value as u64;
        if value == 0 {
            return Err(code::INVALID_ARGUMENT);
        }
        let backlog = value.min(i32::MAX as u64) as i32;
        match s.state {
            // Kept for `listen`.
            TcpState::Unbound | TcpState::Bound => {}
            TcpState::Listening => {
                // SAFETY: no pointers; the socket is held open by its
                // resource.
                if unsafe { libc::listen(s.fd.as_raw_fd(), backlog) } < 0 {
                    return Err(code::NOT_SUPPORTED);
                }
            }
            TcpState::Closed(e) => return Err(e),
            _ => return Err(code::INVALID_STATE),
        }
        s.backlog = backlog;
        Ok(())
    })?;
    store_net_unit(c, ret, r)
}

pub fn sockets_tcp_tcp_socket_keep_alive_enabled(c: &mut Call, this: i32, ret: i32) -> Lowered<()> {
    get_opt(c, this, ret, KEEPALIVE, 1, |c, at, v| {
        c.store_u8(at, u8::from(v != 0))
    })
}

pub fn sockets_tcp_tcp_socket_set_keep_alive_enabled(
    c: &mut Call,
    this: i32,
    value: i32,
    ret: i32,
) -> Lowered<()> {
    set_opt(c, this, ret, KEEPALIVE, Ok(i32::from(value != 0)))
}

pub fn sockets_tcp_tcp_socket_keep_alive_idle_time(
    c: &mut Call,
    this: i32,
    ret: i32,
) -> Lowered<()> {
    get_opt(c, this, ret, KEEPIDLE, 8, store_seconds)
}

pub fn sockets_tcp_tcp_socket_set_keep_alive_idle_time(
    c: &mut Call,
    this: i32,
    value: i64,
    ret: i32,
) -> Lowered<()> {
    set_opt(c, this, ret, KEEPIDLE, keep_alive_seconds(value))
}

pub fn sockets_tcp_tcp_socket_keep_alive_interval(
    c: &mut Call,
    this: i32,
    ret: i32,
) -> Lowered<()> {
    get_opt(c, this, ret, KEEPINTVL, 8, store_seconds)
}

pub fn sockets_tcp_tcp_socket_set_keep_alive_interval(
    c: &mut Call,
    this: i32,
    value: i64,
    ret: i32,
) -> Lowered<()> {
    set_opt(c, this, ret, KEEPINTVL, keep_alive_seconds(value))
}

pub fn sockets_tcp_tcp_socket_keep_alive_count(c: &mut Call, this: i32, ret: i32) -> Lowered<()> {
    get_opt(c, this, ret, KEEPCNT, 4, |c, at, v| {
        c.store_u32(at, v as u32)
    })
}

pub fn sockets_tcp_tcp_socket_set_keep_alive_count(
    c: &mut Call,
    this: i32,
    value: i32,
    ret: i32,
) -> Lowered<()> {
    // 1 … 127, Linux's maximum, as in wasmtime.
    let v = match value as u32 {
        0 => Err(code::INVALID_ARGUMENT),
        v => Ok(v.min(i8::MAX as u32) as i32),
    };
    set_opt(c, this, ret, KEEPCNT, v)
}

fn hop_option(c: &mut Call, this: i32) -> Lowered<(i32, i32)> {
    Ok(match c.table().tcp(this as u32)?.family {
        Family::V4 => (libc::IPPROTO_IP, libc::IP_TTL),
        Family::V6 => (libc::IPPROTO_IPV6, libc::IPV6_UNICAST_HOPS),
    })
}

pub fn sockets_tcp_tcp_socket_hop_limit(c: &mut Call, this: i32, ret: i32) -> Lowered<()> {
    let option = hop_option(c, this)?;
    get_opt(c, this, ret, option, 1, |c, at, v| c.store_u8(at, v as u8))
}

pub fn sockets_tcp_tcp_socket_set_hop_limit(
    c: &mut Call,
    this: i32,
    value: i32,
    ret: i32,
) -> Lowered<()> {
    let option = hop_option(c, this)?;
    let v = match value as u8 {
        0 => Err(code::INVALID_ARGUMENT),
        v => Ok(i32::from(v)),
    };
    set_opt(c, this, ret, option, v)
}

fn set_buffer(c: &mut Call, this: i32, name: i32, value: i64, ret: i32) -> Lowered<()> {
    let r = with_socket(c, this, |s| set_buffer_size(option_fd(s)?, name, value))?;
    store_net_unit(c, ret, r)
}

pub fn sockets_tcp_tcp_socket_receive_buffer_size(
    c: &mut Call,
    this: i32,
    ret: i32,
) -> Lowered<()> {
    let option = (libc::SOL_SOCKET, libc::SO_RCVBUF);
    get_opt(c, this, ret, option, 8, store_buffer_size)
}

pub fn sockets_tcp_tcp_socket_set_receive_buffer_size(
    c: &mut Call,
    this: i32,
    value: i64,
    ret: i32,
) -> Lowered<()> {
    set_buffer(c, this, libc::SO_RCVBUF, value, ret)
}

pub fn sockets_tcp_tcp_socket_send_buffer_size(c: &mut Call, this: i32, ret: i32) -> Lowered<()> {
    let option = (libc::SOL_SOCKET, libc::SO_SNDBUF);
    get_opt(c, this, ret, option, 8, store_buffer_size)
}

pub fn sockets_tcp_tcp_socket_set_send_buffer_size(
    c: &mut Call,
    this: i32,
    value: i64,
    ret: i32,
) -> Lowered<()> {
    set_buffer(c, this, libc::SO_SNDBUF, value, ret)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keep_alive_times_are_clamped() {
        assert_eq!(keep_alive_seconds(0), Err(code::INVALID_ARGUMENT));
        assert_eq!(keep_alive_seconds(1), Ok(1));
        assert_eq!(keep_alive_seconds(2_500_000_000), Ok(2));
        assert_eq!(keep_alive_seconds(-1), Ok(i16::MAX as i32), "a huge u64");
    }
}
