//! The collector's statistics and its trigger policy.
//!
//! A collection runs when the bytes allocated since the last one would
//! exceed a threshold that follows the live size: after each collection
//! the threshold becomes `max(MIN_THRESHOLD, 2 × live bytes)`. A program
//! with little live data collects every 4 MiB of allocation, so
//! short-lived garbage never piles up; one with a large live set collects
//! once it has allocated twice what it keeps, so the heap stays within
//! about three times the live size and the work of a collection (marking
//! the live objects, sweeping the heap) is paid for by twice as many bytes
//! of allocation. (With a factor of 1, binary trees of depth 20 spent 42 %
//! of their time collecting; BENCHMARKS.md, section 13.) The counters are
//! kept for a later statistics report (`print`).

use crate::sys::{fmt_u64, write_stderr};
use core::time::Duration;

/// The smallest allocation budget between two collections.
pub const MIN_THRESHOLD: usize = 4 << 20;

/// The allocation budget after a collection that left `live` bytes.
pub fn next_threshold(live: usize) -> usize {
    live.saturating_mul(2).max(MIN_THRESHOLD)
}

/// What the heap has done so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GcStats {
    /// Collections run.
    pub collections: u64,
    /// Bytes handed out in total (object cells, headers included).
    pub bytes_allocated: u64,
    /// Bytes of live objects the last collection kept.
    pub live_after_last: u64,
    /// Time spent collecting, in total.
    pub pause: Duration,
    /// Bytes mapped from the system now (chunks and large objects).
    pub mapped: u64,
    /// The most ever mapped at once.
    pub peak_mapped: u64,
}

impl GcStats {
    pub const fn new() -> GcStats {
        GcStats {
            collections: 0,
            bytes_allocated: 0,
            live_after_last: 0,
            pause: Duration::ZERO,
            mapped: 0,
            peak_mapped: 0,
        }
    }

    /// `bytes` more are mapped.
    pub fn mapped_more(&mut self, bytes: usize) {
        self.mapped += bytes as u64;
        self.peak_mapped = self.peak_mapped.max(self.mapped);
    }

    /// `bytes` went back to the system.
    pub fn mapped_less(&mut self, bytes: usize) {
        self.mapped = self.mapped.saturating_sub(bytes as u64);
    }

    /// Write the statistics to stderr, one `gc: name value` line each.
    pub fn print(&self) {
        let lines: [(&[u8], u64); 6] = [
            (b"collections", self.collections),
            (b"bytes allocated", self.bytes_allocated),
            (b"live bytes after last collection", self.live_after_last),
            (b"pause total (us)", self.pause.as_micros() as u64),
            (b"mapped bytes", self.mapped),
            (b"peak mapped bytes", self.peak_mapped),
        ];
        for (name, value) in lines {
            let mut buf = [0u8; 20];
            write_stderr(&[b"gc: ", name, b" ", fmt_u64(value, &mut buf), b"\n"]);
        }
    }
}
