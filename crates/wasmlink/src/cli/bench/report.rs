//! What `wasmlink bench` prints: a compact table for people, one JSON
//! document for scripts (`--json`). Times are in seconds; ratios are to
//! the baseline variant (`static` when it runs, else the first one).

use super::measure::{min_median, Timing};
use super::variants::{Kind, Variant};
use serde_json::{json, Value};
use std::fmt::Write;
use std::time::Duration;

/// Everything measured.
pub struct Results<'a> {
    pub input: String,
    pub args: &'a [String],
    pub runs: usize,
    pub variants: Vec<Measured<'a>>,
    /// Builds of the static variant with 1 and 2 compiler threads (the
    /// fastest of a few each), when the static variant runs.
    pub threads: Option<(Timing, Timing)>,
    /// Variants left out, with the reason.
    pub skipped: Vec<(Kind, String)>,
}

/// One variant and its timed runs.
pub struct Measured<'a> {
    pub variant: &'a Variant,
    pub cpu: Vec<Duration>,
    pub wall: Vec<Duration>,
}

/// Summary numbers of one variant.
#[derive(Clone, Copy)]
pub struct Summary {
    pub cpu_min: f64,
    pub cpu_median: f64,
    pub wall_min: f64,
    pub wall_median: f64,
}

impl Measured<'_> {
    pub fn summary(&self) -> Summary {
        let (cpu_min, cpu_median) = min_median(&self.cpu);
        let (wall_min, wall_median) = min_median(&self.wall);
        Summary {
            cpu_min: cpu_min.as_secs_f64(),
            cpu_median: cpu_median.as_secs_f64(),
            wall_min: wall_min.as_secs_f64(),
            wall_median: wall_median.as_secs_f64(),
        }
    }
}

fn ratio(a: f64, b: f64) -> Option<f64> {
    (b > 0.0).then(|| a / b)
}

impl Results<'_> {
    /// `app.json -- 1000`: what was measured.
    pub fn command(&self) -> String {
        match self.args.is_empty() {
            true => self.input.clone(),
            false => format!("{} -- {}", self.input, self.args.join(" ")),
        }
    }

    /// The variant ratios are taken to.
    pub fn baseline(&self) -> Option<&Measured<'_>> {
        self.variants
            .iter()
            .find(|m| m.variant.kind == Kind::Static)
            .or_else(|| self.variants.first())
    }

    /// Median CPU time of `m` over the baseline's.
    pub fn cpu_ratio(&self, m: &Measured) -> Option<f64> {
        let base = self.baseline()?.summary();
        ratio(m.summary().cpu_median, base.cpu_median)
    }

    /// The human-readable report.
    pub fn table(&self) -> String {
        let mut out = String::new();
        let base = self.baseline().map_or("-", |b| b.variant.kind.name());
        let _ = writeln!(
            out,
            "{}: {} interleaved run{} per variant; CPU = user + sys",
            self.command(),
            self.runs,
            if self.runs == 1 { "" } else { "s" },
        );
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "{:<14} {:>10} {:>13} {:>14} {:>10}",
            "variant",
            "min CPU s",
            "median CPU s",
            "median wall s",
            format!("/ {base}")
        );
        for m in &self.variants {
            let s = m.summary();
            let r = self
                .cpu_ratio(m)
                .map_or_else(|| "-".to_string(), |r| format!("{r:.2}"));
            let _ = writeln!(
                out,
                "{:<14} {:>10.4} {:>13.4} {:>14.4} {:>10}",
                m.variant.kind.name(),
                s.cpu_min,
                s.cpu_median,
                s.wall_median,
                r
            );
        }
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "{:<14} {:>13} {:>12} {:>10}",
            "variant", "build wall s", "build CPU s", "size KB"
        );
        for m in &self.variants {
            let v = m.variant;
            let _ = writeln!(
                out,
                "{:<14} {:>13.3} {:>12.3} {:>10.0}",
                v.kind.name(),
                v.build.wall.as_secs_f64(),
                v.build.cpu.as_secs_f64(),
                v.size as f64 / 1024.0
            );
        }
        if let Some((j1, j2)) = self.threads {
            let _ = writeln!(
                out,
                "static build, -j1: {:.3} s wall, {:.3} s CPU; -j2: {:.3} s wall, {:.3} s CPU; -j1/-j2 wall {}",
                j1.wall.as_secs_f64(),
                j1.cpu.as_secs_f64(),
                j2.wall.as_secs_f64(),
                j2.cpu.as_secs_f64(),
                ratio(j1.wall.as_secs_f64(), j2.wall.as_secs_f64())
                    .map_or_else(|| "-".to_string(), |r| format!("{r:.2}"))
            );
        }
        out
    }

    /// The `--json` document.
    pub fn json(&self) -> Value {
        let base = self.baseline().map(|b| b.summary());
        let variants: Vec<Value> = self
            .variants
            .iter()
            .map(|m| {
                let s = m.summary();
                let v = m.variant;
                let r = |f: fn(&Summary) -> f64| base.and_then(|b| ratio(f(&s), f(&b)));
                json!({
                    "name": v.kind.name(),
                    "command": v.argv.iter().map(|a| a.to_string_lossy()).collect::<Vec<_>>(),
                    "cpu_min": s.cpu_min,
                    "cpu_median": s.cpu_median,
                    "wall_min": s.wall_min,
                    "wall_median": s.wall_median,
                    "ratio_cpu_min": r(|s| s.cpu_min),
                    "ratio_cpu_median": r(|s| s.cpu_median),
                    "ratio_wall_median": r(|s| s.wall_median),
                    "cpu_runs": m.cpu.iter().map(Duration::as_secs_f64).collect::<Vec<_>>(),
                    "wall_runs": m.wall.iter().map(Duration::as_secs_f64).collect::<Vec<_>>(),
                    "build_wall": v.build.wall.as_secs_f64(),
                    "build_cpu": v.build.cpu.as_secs_f64(),
                    "size_bytes": v.size,
                })
            })
            .collect();
        let timing =
            |t: Timing| json!({ "wall": t.wall.as_secs_f64(), "cpu": t.cpu.as_secs_f64() });
        let threads = self.threads.map(|(j1, j2)| {
            json!({
                "j1": timing(j1),
                "j2": timing(j2),
                "ratio_wall": ratio(j1.wall.as_secs_f64(), j2.wall.as_secs_f64()),
                "ratio_cpu": ratio(j1.cpu.as_secs_f64(), j2.cpu.as_secs_f64()),
            })
        });
        json!({
            "input": self.input,
            "args": self.args,
            "runs": self.runs,
            "baseline": self.baseline().map(|b| b.variant.kind.name()),
            "variants": variants,
            "static_build_threads": threads,
            "skipped": self.skipped.iter().map(|(k, why)| json!({ "variant": k.name(), "reason": why })).collect::<Vec<_>>(),
        })
    }
}
