//! Verification's latency check for one app: p95 against the pre-incident baseline's p95 when
//! the estate's Log Analytics read is configured (`Snapshot::p95_source`), else the average
//! against the baseline's average (the platform metrics hold no percentiles). Pure.

use chrono::{DateTime, Utc};

use crate::model::{AppState, MetricPoint, Observed};

use super::evidence::fresh;
use super::gates::Tally;
use super::onset::Baseline;

/// Latency counts as back when the p95 (or, without one, the average) is within this factor of
/// the baseline's…
pub const LATENCY_FACTOR: f64 = 1.5;
/// …or within this many milliseconds of it.
pub const LATENCY_SLACK_MS: f64 = 50.0;

/// The highest latency still counted as back: within [`LATENCY_FACTOR`] of the baseline or
/// [`LATENCY_SLACK_MS`] above it, whichever is more.
fn latency_limit(baseline: f64) -> f64 {
    (baseline * LATENCY_FACTOR).max(baseline + LATENCY_SLACK_MS)
}

/// Judges one app's latency since the action into `lat`: p95 against the baseline's p95 when
/// the p95 read is configured, else the average against the baseline's average.
pub(super) fn judge(
    lat: &mut Tally,
    a: &AppState,
    after: &[&MetricPoint],
    base: Option<&Baseline>,
    p95_source: Option<&Observed<usize>>,
    now: DateTime<Utc>,
) {
    let avg = mean(after.iter().filter_map(|p| p.avg_ms));
    let max = after.iter().filter_map(|p| p.max_ms).reduce(f64::max);
    let avg_words = || {
        format!(
            "avg {} ms (max {})",
            avg.map_or_else(|| "?".to_owned(), |a| format!("{a:.0}")),
            max.map_or_else(|| "?".to_owned(), |m| format!("{m:.0} ms"))
        )
    };
    if let Some(source) = p95_source {
        let p95 = mean(after.iter().filter_map(|p| p.p95_ms));
        match (p95, base.and_then(|b| b.p95_ms)) {
            (Some(p), Some(b)) => {
                let limit = latency_limit(b);
                let w = format!(
                    "{} p95 {p:.0} ms vs baseline p95 {b:.0} ms, limit {limit:.0} ms; {}",
                    a.name,
                    avg_words()
                );
                if p <= limit {
                    lat.pass.push(w);
                } else {
                    lat.fail.push(w);
                }
            }
            (Some(p), None) => lat.unknown.push(format!(
                "{}: p95 {p:.0} ms, no baseline p95 to compare with",
                a.name
            )),
            (None, _) => {
                let why = match fresh(source, now) {
                    Ok(_) => "no p95 reported for those minutes".to_owned(),
                    Err(e) => e,
                };
                lat.unknown
                    .push(format!("{}: {why}; {}", a.name, avg_words()));
            }
        }
        return;
    }
    match (avg, base.and_then(|b| b.avg_ms)) {
        (Some(avg), Some(b)) => {
            let limit = latency_limit(b);
            let w = format!(
                "{} avg {avg:.0} ms (max {}) vs baseline avg {b:.0} ms, limit {limit:.0} ms",
                a.name,
                max.map_or_else(|| "?".to_owned(), |m| format!("{m:.0} ms"))
            );
            if avg <= limit {
                lat.pass.push(w);
            } else {
                lat.fail.push(w);
            }
        }
        (None, _) => lat
            .unknown
            .push(format!("{}: no response times reported", a.name)),
        (Some(avg), None) => lat.unknown.push(format!(
            "{}: avg {avg:.0} ms, no baseline to compare with",
            a.name
        )),
    }
}

fn mean(v: impl Iterator<Item = f64>) -> Option<f64> {
    let (n, s) = v.fold((0usize, 0.0), |(n, s), x| (n + 1, s + x));
    (n > 0).then(|| s / n as f64)
}
