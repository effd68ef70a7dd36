//! `clock_res_get` and `clock_time_get`.

use super::errno::{check, Errno, WasiResult};
use super::guest::GuestMem;
use super::types::clockid;
use super::WasiCtx;

/// The host clock of a WASI clock id.
pub fn host_clock(id: u32) -> WasiResult<libc::clockid_t> {
    Ok(match id {
        clockid::REALTIME => libc::CLOCK_REALTIME,
        clockid::MONOTONIC => libc::CLOCK_MONOTONIC,
        clockid::PROCESS_CPUTIME_ID => libc::CLOCK_PROCESS_CPUTIME_ID,
        clockid::THREAD_CPUTIME_ID => libc::CLOCK_THREAD_CPUTIME_ID,
        _ => return Err(Errno::INVAL),
    })
}

fn ts_nanos(ts: &libc::timespec) -> u64 {
    (ts.tv_sec.max(0) as u64)
        .saturating_mul(1_000_000_000)
        .saturating_add(ts.tv_nsec.max(0) as u64)
}

/// The current time of a host clock in nanoseconds.
pub fn now(clock: libc::clockid_t) -> WasiResult<u64> {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a live local timespec, the only memory written.
    check(unsafe { libc::clock_gettime(clock, &mut ts) })?;
    Ok(ts_nanos(&ts))
}

impl WasiCtx {
    pub fn clock_res_get(&mut self, mem: &GuestMem, id: u32, res: u32) -> WasiResult<()> {
        let clock = host_clock(id)?;
        let mut ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: `ts` is a live local timespec, the only memory written.
        check(unsafe { libc::clock_getres(clock, &mut ts) })?;
        mem.write_u64(res, ts_nanos(&ts))
    }

    /// `precision` is a hint the host clocks cannot use; it is ignored.
    pub fn clock_time_get(
        &mut self,
        mem: &GuestMem,
        id: u32,
        _precision: u64,
        time: u32,
    ) -> WasiResult<()> {
        let t = now(host_clock(id)?)?;
        mem.write_u64(time, t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wasi::testutil::Env;

    #[test]
    fn clocks() {
        let mut env = Env::new();
        for id in 0..4 {
            env.with(|c, m| c.clock_res_get(m, id, 0)).unwrap();
            assert!(env.u64_at(0) > 0);
            env.with(|c, m| c.clock_time_get(m, id, 0, 8)).unwrap();
        }
        env.with(|c, m| c.clock_time_get(m, 0, 1, 8)).unwrap();
        // Realtime is after 2020-01-01.
        assert!(env.u64_at(8) > 1_577_836_800_000_000_000);
        env.with(|c, m| c.clock_time_get(m, 1, 1, 0)).unwrap();
        let a = env.u64_at(0);
        env.with(|c, m| c.clock_time_get(m, 1, 1, 0)).unwrap();
        assert!(env.u64_at(0) >= a);
        assert_eq!(
            env.with(|c, m| c.clock_time_get(m, 4, 0, 0)),
            Err(Errno::INVAL)
        );
        assert_eq!(
            env.with(|c, m| c.clock_time_get(m, 0, 0, 65532)),
            Err(Errno::FAULT)
        );
    }
}
