//! `--plot out.svg`: the results as a horizontal bar chart, written as
//! plain SVG text. One bar per variant is its median CPU time, a black tick
//! on it its minimum, and the text after it the median and the ratio to
//! the baseline; an axis in seconds below.

use super::report::Results;
use std::fmt::Write;

const LEFT: f64 = 130.0;
const BARS: f64 = 420.0;
const RIGHT: f64 = 150.0;
const TOP: f64 = 46.0;
const ROW: f64 = 30.0;
const BAR: f64 = 18.0;

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            c if c.is_control() => out.push('?'),
            c => out.push(c),
        }
    }
    out
}

/// A round axis end at or above `max` and its step: 1, 2 or 5 × 10^k, so
/// that 2 to 5 steps cover it.
fn axis(max: f64) -> (f64, f64) {
    if max <= 0.0 || !max.is_finite() {
        return (1.0, 0.25);
    }
    let mut step = 10f64.powf((max / 5.0).log10().floor());
    for m in [1.0, 2.0, 5.0, 10.0] {
        if (max / (step * m)).ceil() <= 5.0 {
            step *= m;
            break;
        }
    }
    ((max / step).ceil() * step, step)
}

fn color(name: &str) -> &'static str {
    match name {
        "static" => "#1f5fa8",
        "static-no-wpo" => "#5b8fd0",
        "dynamic" => "#9bbbe6",
        "wasmtime" => "#d9822b",
        "clang" => "#3f8f4f",
        _ => "#8cc48f",
    }
}

/// The SVG document for `results`.
pub fn svg(results: &Results) -> String {
    let rows: Vec<_> = results
        .variants
        .iter()
        .map(|m| (m.variant.kind.name(), m.summary(), results.cpu_ratio(m)))
        .collect();
    let max = rows.iter().map(|r| r.1.cpu_median).fold(0.0, f64::max);
    let (end, step) = axis(max);
    let x = |seconds: f64| LEFT + BARS * seconds / end;
    let width = LEFT + BARS + RIGHT;
    let axis_y = TOP + ROW * rows.len() as f64 + 4.0;
    let height = axis_y + 40.0;
    let base = results.baseline().map_or("-", |b| b.variant.kind.name());
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="13">"#
    );
    let _ = writeln!(
        s,
        r#"<text x="{LEFT}" y="18" font-weight="bold">{}</text>"#,
        escape(&results.command())
    );
    let _ = writeln!(
        s,
        r##"<text x="{LEFT}" y="36" fill="#555">median CPU time of {} run(s); tick: minimum; ratio to {}</text>"##,
        results.runs,
        escape(base)
    );
    for (i, (name, summary, ratio)) in rows.iter().enumerate() {
        let y = TOP + ROW * i as f64;
        let mid = y + BAR / 2.0 + 4.5;
        let _ = writeln!(
            s,
            r#"<text x="{}" y="{mid:.1}" text-anchor="end">{}</text>"#,
            LEFT - 8.0,
            escape(name)
        );
        let _ = writeln!(
            s,
            r#"<rect x="{LEFT}" y="{y:.1}" width="{:.1}" height="{BAR}" fill="{}"/>"#,
            x(summary.cpu_median) - LEFT,
            color(name)
        );
        let tick = x(summary.cpu_min);
        let _ = writeln!(
            s,
            r#"<line x1="{tick:.1}" y1="{:.1}" x2="{tick:.1}" y2="{:.1}" stroke="black" stroke-width="2"/>"#,
            y - 3.0,
            y + BAR + 3.0
        );
        let label = match ratio {
            Some(r) => format!("{r:.2}× ({})", seconds(summary.cpu_median)),
            None => seconds(summary.cpu_median),
        };
        let _ = writeln!(
            s,
            r#"<text x="{:.1}" y="{mid:.1}">{}</text>"#,
            x(summary.cpu_median) + 6.0,
            escape(&label)
        );
    }
    let _ = writeln!(
        s,
        r##"<line x1="{LEFT}" y1="{axis_y:.1}" x2="{:.1}" y2="{axis_y:.1}" stroke="#333"/>"##,
        LEFT + BARS
    );
    let mut t = 0.0;
    while t <= end + step / 2.0 {
        let tx = x(t);
        let _ = writeln!(
            s,
            r##"<line x1="{tx:.1}" y1="{axis_y:.1}" x2="{tx:.1}" y2="{:.1}" stroke="#333"/>"##,
            axis_y + 5.0
        );
        let _ = writeln!(
            s,
            r#"<text x="{tx:.1}" y="{:.1}" text-anchor="middle" font-size="11">{}</text>"#,
            axis_y + 18.0,
            trim_number(t)
        );
        t += step;
    }
    let _ = writeln!(
        s,
        r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="11">CPU seconds</text>"#,
        LEFT + BARS / 2.0,
        axis_y + 34.0
    );
    s.push_str("</svg>\n");
    s
}

/// A time with three significant digits or so: `1.23 s`, `412 ms`,
/// `1.52 ms`.
fn seconds(v: f64) -> String {
    match v {
        v if v >= 1.0 => format!("{v:.2} s"),
        v if v >= 0.1 => format!("{:.0} ms", v * 1e3),
        v if v >= 0.01 => format!("{:.1} ms", v * 1e3),
        v => format!("{:.2} ms", v * 1e3),
    }
}

/// `0.25`, `1`, `0.0005`: an axis label without trailing zeros.
fn trim_number(v: f64) -> String {
    let text = format!("{v:.6}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text.is_empty() {
        "0".into()
    } else {
        text.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_end_on_round_numbers() {
        let near =
            |(a, b): (f64, f64), (c, d): (f64, f64)| (a - c).abs() < 1e-9 && (b - d).abs() < 1e-9;
        assert!(near(axis(0.42), (0.5, 0.1)), "{:?}", axis(0.42));
        assert!(near(axis(1.0), (1.0, 0.2)), "{:?}", axis(1.0));
        assert!(near(axis(3.7), (4.0, 1.0)), "{:?}", axis(3.7));
        assert_eq!(axis(0.0), (1.0, 0.25));
        let (end, step) = axis(0.0123);
        assert!(end >= 0.0123 && end / step <= 5.0 + 1e-9, "{end} {step}");
    }

    #[test]
    fn labels_are_escaped_and_trimmed() {
        assert_eq!(escape("a<b & \"c\"\n"), "a&lt;b &amp; &quot;c&quot;?");
        assert_eq!(trim_number(0.25), "0.25");
        assert_eq!(trim_number(2.0), "2");
        assert_eq!(trim_number(0.0), "0");
        assert_eq!(seconds(1.234), "1.23 s");
        assert_eq!(seconds(0.4123), "412 ms");
        assert_eq!(seconds(0.01512), "15.1 ms");
        assert_eq!(seconds(0.001516), "1.52 ms");
    }
}
