//! `wasi:clocks`: monotonic-clock (`CLOCK_MONOTONIC`, pollables for an
//! instant or a duration) and wall-clock (`CLOCK_REALTIME` as a
//! `datetime`: seconds and nanoseconds since the epoch).

use super::resources::{Pollable, Resource};
use super::{Call, Lowered};

fn timespec(clock: libc::clockid_t, res: bool) -> libc::timespec {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a live local timespec, the only memory written.
    // Both clocks exist on Linux, so the calls cannot fail.
    unsafe {
        if res {
            libc::clock_getres(clock, &mut ts);
        } else {
            libc::clock_gettime(clock, &mut ts);
        }
    }
    ts
}

fn nanos(ts: &libc::timespec) -> u64 {
    (ts.tv_sec.max(0) as u64)
        .saturating_mul(1_000_000_000)
        .saturating_add(ts.tv_nsec.max(0) as u64)
}

/// The monotonic clock in nanoseconds.
pub fn monotonic_now() -> u64 {
    nanos(&timespec(libc::CLOCK_MONOTONIC, false))
}

pub fn clocks_monotonic_clock_now(_c: &mut Call) -> Lowered<i64> {
    Ok(monotonic_now() as i64)
}

pub fn clocks_monotonic_clock_resolution(_c: &mut Call) -> Lowered<i64> {
    Ok(nanos(&timespec(libc::CLOCK_MONOTONIC, true)) as i64)
}

pub fn clocks_monotonic_clock_subscribe_instant(c: &mut Call, when: i64) -> Lowered<i32> {
    let h = c.own(Resource::Pollable(Pollable::Deadline(when as u64)))?;
    Ok(h as i32)
}

pub fn clocks_monotonic_clock_subscribe_duration(c: &mut Call, when: i64) -> Lowered<i32> {
    let at = monotonic_now().saturating_add(when as u64);
    let h = c.own(Resource::Pollable(Pollable::Deadline(at)))?;
    Ok(h as i32)
}

/// Store a `datetime` at `at`.
fn store_datetime(c: &mut Call, at: u32, ts: &libc::timespec) -> Lowered<()> {
    c.store_u64(at, ts.tv_sec.max(0) as u64)?;
    c.store_u32(at + 8, ts.tv_nsec.max(0) as u32)
}

pub fn clocks_wall_clock_now(c: &mut Call, ret: i32) -> Lowered<()> {
    store_datetime(c, ret as u32, &timespec(libc::CLOCK_REALTIME, false))
}

pub fn clocks_wall_clock_resolution(c: &mut Call, ret: i32) -> Lowered<()> {
    store_datetime(c, ret as u32, &timespec(libc::CLOCK_REALTIME, true))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wasi::WasiCtx;
    use crate::wasi2::call::testing::Guest;
    use crate::wasi2::poll::io_poll_pollable_block;
    use wasmlink_abi::StringEncoding;

    #[test]
    fn clocks_advance_and_pollables_wait() {
        let mut g = Guest::new(WasiCtx::default(), StringEncoding::Utf8);
        let a = g.call(clocks_monotonic_clock_now).unwrap();
        let p = g
            .call(|c| clocks_monotonic_clock_subscribe_duration(c, 10_000_000))
            .unwrap();
        g.call(|c| io_poll_pollable_block(c, p)).unwrap();
        let b = g.call(clocks_monotonic_clock_now).unwrap();
        assert!(b - a >= 10_000_000);
        assert!(g.call(clocks_monotonic_clock_resolution).unwrap() > 0);
        g.call(|c| clocks_wall_clock_now(c, 100)).unwrap();
        // Some time after 2020-01-01.
        assert!(g.u64_at(100) > 1_577_836_800);
        assert!(g.u32_at(108) < 1_000_000_000);
    }
}
