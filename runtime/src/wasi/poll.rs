//! `poll_oneoff`: clock subscriptions (sleep until the earliest deadline)
//! and fd read/write readiness, both served by one `ppoll(2)`.
//!
//! As in the reference runtime, a subscription that cannot be served fails
//! the whole call rather than producing an error event: reading needs a
//! file or stdin, writing a file or stdout/stderr (`BADF` otherwise, like
//! an unused number), and a clock must be the realtime or monotonic one
//! with known flags (`INVAL`) — except that a lone relative clock
//! subscription is a plain sleep, whichever of the four clocks it names.
//!
//! A call with clock subscriptions only (a sleep) needs nothing of the
//! program's context, so [`poll_oneoff_export`] runs it without taking
//! it: other threads' WASI calls (wasi-threads) go on while one sleeps.
//!
//! Layouts: a `subscription` is 48 bytes (userdata u64, tag u8 at 8, then
//! at 16 either `clock { id u32, timeout u64 at 24, precision u64 at 32,
//! flags u16 at 40 }` or `fd_readwrite { fd u32 }`); an `event` is 32 bytes
//! (userdata u64, error u16 at 8, type u8 at 10, `nbytes` u64 at 16,
//! `flags` u16 at 24).

use super::clock::{host_clock, now};
use super::errno::{Errno, WasiResult};
use super::fdtable::FdTable;
use super::guest::GuestMem;
use super::types::clockid;
use super::WasiCtx;
use alloc::vec::Vec;
use wasmlink_abi::VMMemory;

const SUBSCRIPTION_SIZE: u32 = 48;
const EVENT_SIZE: u32 = 32;

const EVENTTYPE_CLOCK: u8 = 0;
const EVENTTYPE_FD_READ: u8 = 1;
const EVENTTYPE_FD_WRITE: u8 = 2;
const SUBCLOCKFLAGS_ABSTIME: u16 = 1;
const EVENTRWFLAGS_HANGUP: u16 = 1;

#[derive(Debug)]
struct Event {
    userdata: u64,
    error: Errno,
    kind: u8,
    nbytes: u64,
    flags: u16,
}

impl Event {
    fn error(userdata: u64, kind: u8, error: Errno) -> Event {
        Event {
            userdata,
            error,
            kind,
            nbytes: 0,
            flags: 0,
        }
    }
}

/// Bytes ready to read on `fd` (0 when the host cannot tell).
fn readable_bytes(fd: i32) -> u64 {
    let mut n: libc::c_int = 0;
    // SAFETY: FIONREAD writes one `c_int` through the pointer: `n`, a
    // live local. `fd` is held open by the fd table (module docs of `wasi`).
    if unsafe { libc::ioctl(fd, libc::FIONREAD, &mut n) } == 0 {
        n.max(0) as u64
    } else {
        0
    }
}

/// Why [`poll`] stopped early.
#[derive(Debug, PartialEq, Eq)]
enum Stop {
    /// The call fails with this errno.
    Failed(Errno),
    /// An fd subscription, and no fd table: nothing was done yet.
    NeedsFds,
}

impl From<Errno> for Stop {
    fn from(e: Errno) -> Stop {
        Stop::Failed(e)
    }
}

/// The `poll_oneoff` export: without the program's context while the
/// subscriptions are clocks alone, through [`super::dispatch`] otherwise.
///
/// # Safety
/// `mem` is null or points to the caller's live `VMMemory`.
pub unsafe fn poll_oneoff_export(
    mem: *mut VMMemory,
    subs: u32,
    out: u32,
    nsubs: u32,
    nevents: u32,
) -> i32 {
    let mut needs_fds = false;
    // SAFETY: the caller guarantees `mem` (this function's contract).
    let r = unsafe {
        super::dispatch_without_ctx(mem, |m| match poll(None, m, subs, out, nsubs, nevents) {
            Ok(()) => Ok(()),
            Err(Stop::Failed(e)) => Err(e),
            Err(Stop::NeedsFds) => {
                needs_fds = true;
                Ok(())
            }
        })
    };
    if !needs_fds {
        return r;
    }
    // SAFETY: as above.
    unsafe { super::dispatch(mem, |ctx, m| ctx.poll_oneoff(m, subs, out, nsubs, nevents)) }
}

impl WasiCtx {
    pub fn poll_oneoff(
        &mut self,
        mem: &GuestMem,
        subs: u32,
        out: u32,
        nsubs: u32,
        nevents: u32,
    ) -> WasiResult<()> {
        poll(Some(&self.fds), mem, subs, out, nsubs, nevents).map_err(|s| match s {
            Stop::Failed(e) => e,
            // Not without a table; should it happen, a failure.
            Stop::NeedsFds => Errno::IO,
        })
    }
}

/// `poll_oneoff` with the fd table `fds`; without one, an fd subscription
/// stops it before it has waited or written anything.
fn poll(
    fds: Option<&FdTable>,
    mem: &GuestMem,
    subs: u32,
    out: u32,
    nsubs: u32,
    nevents: u32,
) -> Result<(), Stop> {
    if nsubs == 0 {
        return Err(Errno::INVAL.into());
    }
    mem.check_out(subs, u64::from(nsubs) * u64::from(SUBSCRIPTION_SIZE))?;
    mem.check_out(out, u64::from(nsubs) * u64::from(EVENT_SIZE))?;
    mem.check_out(nevents, 4)?;

    let mono = now(libc::CLOCK_MONOTONIC)?;
    let mut events: Vec<Event> = Vec::new();
    let mut clocks: Vec<(u64, u64)> = Vec::new(); // (userdata, monotonic deadline)
    let mut pollfds: Vec<libc::pollfd> = Vec::new();
    let mut fd_subs: Vec<(u64, u8)> = Vec::new(); // (userdata, type), parallel to pollfds
                                                  // Subscriptions on embedded files: ready now (they never block).
    let mut ready: Vec<Event> = Vec::new();
    for i in 0..nsubs {
        let at = subs + i * SUBSCRIPTION_SIZE;
        let userdata = mem.read_u64(at)?;
        match mem.read_u8(at + 8)? {
            EVENTTYPE_CLOCK => {
                let id = mem.read_u32(at + 16)?;
                let timeout = mem.read_u64(at + 24)?;
                let flags = mem.read_u16(at + 40)?;
                let clock = host_clock(id)?;
                let lone_sleep = nsubs == 1 && flags == 0;
                if flags & !SUBCLOCKFLAGS_ABSTIME != 0
                    || !(lone_sleep || matches!(id, clockid::REALTIME | clockid::MONOTONIC))
                {
                    return Err(Errno::INVAL.into());
                }
                let remaining = if flags & SUBCLOCKFLAGS_ABSTIME != 0 {
                    timeout.saturating_sub(now(clock)?)
                } else {
                    timeout
                };
                clocks.push((userdata, mono.saturating_add(remaining)));
            }
            kind @ (EVENTTYPE_FD_READ | EVENTTYPE_FD_WRITE) => {
                let fds = fds.ok_or(Stop::NeedsFds)?;
                let fd = mem.read_u32(at + 16)?;
                let (host, wanted) = if kind == EVENTTYPE_FD_READ {
                    (fds.readable(fd)?, libc::POLLIN)
                } else {
                    (fds.writable(fd)?, libc::POLLOUT)
                };
                if let Some(e) = fds.embedded(fd) {
                    // What is left to read, as FIONREAD tells of a file.
                    let nbytes = if kind == EVENTTYPE_FD_READ {
                        e.node.info().size().saturating_sub(e.pos)
                    } else {
                        0
                    };
                    ready.push(Event {
                        userdata,
                        error: Errno::SUCCESS,
                        kind,
                        nbytes,
                        flags: 0,
                    });
                    continue;
                }
                pollfds.push(libc::pollfd {
                    fd: host,
                    events: wanted,
                    revents: 0,
                });
                fd_subs.push((userdata, kind));
            }
            _ => return Err(Errno::INVAL.into()),
        }
    }

    loop {
        let current = now(libc::CLOCK_MONOTONIC)?;
        // Wait for the earliest deadline (or forever when there is
        // none); not at all when an embedded file is ready.
        let wait = if ready.is_empty() {
            clocks.iter().map(|c| c.1.saturating_sub(current)).min()
        } else {
            Some(0)
        };
        let ts = wait.map(|ns| libc::timespec {
            tv_sec: (ns / 1_000_000_000).min(i64::MAX as u64) as i64,
            tv_nsec: (ns % 1_000_000_000) as i64,
        });
        let ts_ptr = ts
            .as_ref()
            .map_or(core::ptr::null(), |t| t as *const libc::timespec);
        // SAFETY: ppoll reads and writes `pollfds.len()` entries of
        // `pollfds`, a live host array, and reads `ts_ptr`, which is
        // null or points at `ts`, alive for the call.
        let r = unsafe {
            libc::ppoll(
                pollfds.as_mut_ptr(),
                pollfds.len() as libc::nfds_t,
                ts_ptr,
                core::ptr::null(),
            )
        };
        if r < 0 {
            match crate::sys::errno() {
                libc::EINTR => continue,
                e => return Err(Errno::from_host(e).into()),
            }
        }
        events.append(&mut ready);
        for (p, &(userdata, kind)) in pollfds.iter().zip(&fd_subs) {
            if p.revents == 0 {
                continue;
            }
            if p.revents & libc::POLLNVAL != 0 {
                events.push(Event::error(userdata, kind, Errno::BADF));
                continue;
            }
            let nbytes = if kind == EVENTTYPE_FD_READ {
                readable_bytes(p.fd)
            } else {
                0
            };
            let flags = if p.revents & libc::POLLHUP != 0 {
                EVENTRWFLAGS_HANGUP
            } else {
                0
            };
            events.push(Event {
                userdata,
                error: Errno::SUCCESS,
                kind,
                nbytes,
                flags,
            });
        }
        if events.is_empty() {
            let current = now(libc::CLOCK_MONOTONIC)?;
            for &(userdata, deadline) in &clocks {
                if deadline <= current {
                    events.push(Event::error(userdata, EVENTTYPE_CLOCK, Errno::SUCCESS));
                }
            }
        }
        if !events.is_empty() {
            break;
        }
    }

    for (i, e) in events.iter().enumerate() {
        let mut b = [0u8; EVENT_SIZE as usize];
        b[0..8].copy_from_slice(&e.userdata.to_le_bytes());
        b[8..10].copy_from_slice(&e.error.0.to_le_bytes());
        b[10] = e.kind;
        b[16..24].copy_from_slice(&e.nbytes.to_le_bytes());
        b[24..26].copy_from_slice(&e.flags.to_le_bytes());
        mem.write(out + i as u32 * EVENT_SIZE, &b)?;
    }
    Ok(mem.write_u32(nevents, events.len() as u32)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wasi::testutil::Env;
    use std::time::{Duration, Instant};

    fn clock_sub(env: &mut Env, i: u32, userdata: u64, id: u32, timeout: u64, flags: u16) {
        let at = 1000 + i * SUBSCRIPTION_SIZE;
        env.buf[at as usize..(at + SUBSCRIPTION_SIZE) as usize].fill(0);
        env.put(at, &userdata.to_le_bytes());
        env.buf[at as usize + 8] = EVENTTYPE_CLOCK;
        env.put(at + 16, &id.to_le_bytes());
        env.put(at + 24, &timeout.to_le_bytes());
        env.put(at + 40, &flags.to_le_bytes());
    }

    fn fd_sub(env: &mut Env, i: u32, userdata: u64, kind: u8, fd: u32) {
        let at = 1000 + i * SUBSCRIPTION_SIZE;
        env.buf[at as usize..(at + SUBSCRIPTION_SIZE) as usize].fill(0);
        env.put(at, &userdata.to_le_bytes());
        env.buf[at as usize + 8] = kind;
        env.put(at + 16, &fd.to_le_bytes());
    }

    fn event(env: &Env, i: u32) -> (u64, u16, u8) {
        let at = 5000 + i * EVENT_SIZE;
        let e = u16::from_le_bytes([env.buf[at as usize + 8], env.buf[at as usize + 9]]);
        (env.u64_at(at), e, env.buf[at as usize + 10])
    }

    #[test]
    fn sleeps_until_the_earliest_clock() {
        let mut env = Env::new();
        clock_sub(&mut env, 0, 11, 1, 200_000_000, 0);
        clock_sub(&mut env, 1, 22, 1, 20_000_000, 0);
        let t = Instant::now();
        env.with(|c, m| c.poll_oneoff(m, 1000, 5000, 2, 0)).unwrap();
        let dt = t.elapsed();
        assert!(
            dt >= Duration::from_millis(20) && dt < Duration::from_millis(190),
            "{dt:?}"
        );
        assert_eq!(env.u32_at(0), 1);
        assert_eq!(event(&env, 0), (22, 0, EVENTTYPE_CLOCK));
    }

    #[test]
    fn clocks_alone_need_no_context() {
        let mut env = Env::new();
        clock_sub(&mut env, 0, 7, 1, 1_000_000, 0);
        env.with(|_, m| poll(None, m, 1000, 5000, 1, 0)).unwrap();
        assert_eq!(env.u32_at(0), 1);
        assert_eq!(event(&env, 0), (7, 0, EVENTTYPE_CLOCK));
        // An fd subscription needs the table: nothing is done without it.
        env.put(0, &[9, 9, 9, 9]);
        clock_sub(&mut env, 0, 8, 1, 1_000_000, 0);
        fd_sub(&mut env, 1, 9, EVENTTYPE_FD_WRITE, 1);
        let r = env.with(|_, m| poll(None, m, 1000, 5000, 2, 0));
        assert_eq!(r, Err(Stop::NeedsFds));
        assert_eq!(env.u32_at(0), 0x0909_0909, "no event count written");
        env.with(|c, m| c.poll_oneoff(m, 1000, 5000, 2, 0)).unwrap();
        assert_eq!(env.u32_at(0), 1);
        assert_eq!(event(&env, 0), (9, 0, EVENTTYPE_FD_WRITE));
    }

    #[test]
    fn absolute_deadline_in_the_past() {
        let mut env = Env::new();
        clock_sub(&mut env, 0, 5, 0, 1, SUBCLOCKFLAGS_ABSTIME);
        env.with(|c, m| c.poll_oneoff(m, 1000, 5000, 1, 0)).unwrap();
        assert_eq!(event(&env, 0), (5, 0, EVENTTYPE_CLOCK));
    }

    #[test]
    fn fds_and_errors() {
        let mut env = Env::new();
        // A regular file is always ready.
        std::fs::write(env.host("f"), b"12345").unwrap();
        let (p, l) = env.put(100, b"f");
        env.with(|c, m| c.path_open(m, 3, 0, p, l, 0, 2, 0, 0, 0))
            .unwrap();
        let fd = env.u32_at(0);
        fd_sub(&mut env, 0, 1, EVENTTYPE_FD_READ, fd);
        clock_sub(&mut env, 1, 2, 1, 10_000_000_000, 0);
        env.with(|c, m| c.poll_oneoff(m, 1000, 5000, 2, 0)).unwrap();
        assert_eq!(env.u32_at(0), 1);
        assert_eq!(event(&env, 0), (1, 0, EVENTTYPE_FD_READ));
        assert_eq!(env.u64_at(5016), 5);
        // Subscriptions that cannot be served fail the call: an unused
        // number, a directory, stdin for writing, stdout for reading, a
        // CPU-time or unknown clock, unknown clock flags.
        for (kind, fd) in [
            (EVENTTYPE_FD_WRITE, 77),
            (EVENTTYPE_FD_READ, 3),
            (EVENTTYPE_FD_WRITE, 0),
            (EVENTTYPE_FD_READ, 1),
        ] {
            fd_sub(&mut env, 0, 3, kind, fd);
            assert_eq!(
                env.with(|c, m| c.poll_oneoff(m, 1000, 5000, 1, 0)),
                Err(Errno::BADF),
                "{kind} on {fd}"
            );
        }
        for (id, flags) in [(2, SUBCLOCKFLAGS_ABSTIME), (9, 0), (1, 2)] {
            clock_sub(&mut env, 0, 4, id, 0, flags);
            assert_eq!(
                env.with(|c, m| c.poll_oneoff(m, 1000, 5000, 1, 0)),
                Err(Errno::INVAL)
            );
        }
        // A CPU-time clock is a plain sleep when alone and relative, and
        // refused next to another subscription.
        clock_sub(&mut env, 0, 4, 2, 0, 0);
        env.with(|c, m| c.poll_oneoff(m, 1000, 5000, 1, 0)).unwrap();
        assert_eq!(event(&env, 0), (4, 0, EVENTTYPE_CLOCK));
        clock_sub(&mut env, 1, 5, 1, 0, 0);
        assert_eq!(
            env.with(|c, m| c.poll_oneoff(m, 1000, 5000, 2, 0)),
            Err(Errno::INVAL)
        );
        // stdout is ready for writing.
        fd_sub(&mut env, 0, 5, EVENTTYPE_FD_WRITE, 1);
        env.with(|c, m| c.poll_oneoff(m, 1000, 5000, 1, 0)).unwrap();
        assert_eq!(event(&env, 0), (5, 0, EVENTTYPE_FD_WRITE));
        assert_eq!(
            env.with(|c, m| c.poll_oneoff(m, 1000, 5000, 0, 0)),
            Err(Errno::INVAL)
        );
        assert_eq!(
            env.with(|c, m| c.poll_oneoff(m, 65500, 5000, 2, 0)),
            Err(Errno::FAULT)
        );
    }
}
