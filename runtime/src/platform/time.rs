//! A monotonic clock reading, as `std::time::Instant` (`CLOCK_MONOTONIC`),
//! for deadlines.

use core::ops::Add;
use core::time::Duration;

/// A point on the monotonic clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Instant(Duration);

impl Instant {
    pub fn now() -> Instant {
        let mut ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: clock_gettime writes `ts`, a live local; CLOCK_MONOTONIC
        // always exists on Linux, so it does not fail.
        unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
        Instant(Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32))
    }
}

impl Add<Duration> for Instant {
    type Output = Instant;
    fn add(self, d: Duration) -> Instant {
        Instant(self.0 + d)
    }
}

impl core::ops::Sub for Instant {
    type Output = Duration;
    /// The time from `earlier` to `self` (zero if `earlier` is later).
    fn sub(self, earlier: Instant) -> Duration {
        self.0.saturating_sub(earlier.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_moves_forward() {
        let a = Instant::now();
        std::thread::sleep(Duration::from_millis(5));
        let b = Instant::now();
        assert!(b > a && b - a >= Duration::from_millis(5));
        assert_eq!(a - b, Duration::ZERO);
        assert_eq!((a + Duration::from_secs(1)) - a, Duration::from_secs(1));
    }
}
