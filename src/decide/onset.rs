//! The error onset as a change point in an app's failure-rate series, and the pre-incident
//! baseline it leaves behind.
//!
//! The onset is the split of the series into "before" and "after" that explains it best as two
//! flat levels (least squares: the split maximising `n₁·n₂/n · (mean₂ − mean₁)²`, i.e. the mean
//! shift weighted by how much of the series each side holds). It is accepted only when the series
//! has at least [`MIN_POINTS`] minutes with requests, the shift is upward, at least
//! [`MIN_STD_ERRORS`] standard errors of the difference of the two means (pooled variance), and at
//! least [`MIN_SHIFT`] in absolute terms — so neither noise nor a tiny but steady creep counts.
//! Pure arithmetic on [`MetricPoint`]s; nothing else.

use chrono::{DateTime, Utc};

use crate::model::MetricPoint;

/// Fewest minutes (with requests) a change point is looked for in.
pub const MIN_POINTS: usize = 5;
/// Fewest minutes before the split (a baseline needs more than one point).
pub const MIN_BEFORE: usize = 2;
/// How many standard errors the shift must be.
pub const MIN_STD_ERRORS: f64 = 4.0;
/// Smallest absolute shift in failure rate (2 percentage points).
pub const MIN_SHIFT: f64 = 0.02;
/// A standard error below this is rounding, not noise.
pub const NOISELESS: f64 = 1e-9;
/// The smallest margin above the baseline mean that still counts as "back to baseline"
/// (half a percentage point), for very quiet baselines.
pub const BASELINE_MARGIN: f64 = 0.005;

/// An accepted change point.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangePoint {
    /// The first minute of the new level: the onset.
    pub at: DateTime<Utc>,
    /// Mean failure rate before.
    pub before_mean: f64,
    /// Mean failure rate from the onset on.
    pub after_mean: f64,
    /// Standard deviation of the minutes before.
    pub before_sd: f64,
    /// Standard error of the shift.
    pub std_err: f64,
    /// Minutes before and after.
    pub counts: (usize, usize),
}

impl ChangePoint {
    /// The upward shift in failure rate.
    pub fn shift(&self) -> f64 {
        self.after_mean - self.before_mean
    }

    /// The shift in standard errors (infinite when the series is noiseless).
    pub fn sigmas(&self) -> f64 {
        if self.std_err > NOISELESS {
            self.shift() / self.std_err
        } else {
            f64::INFINITY
        }
    }

    /// Plain words with the numbers.
    pub fn words(&self) -> String {
        let sigmas = match self.sigmas() {
            s if !s.is_finite() => "a noiseless series".to_owned(),
            s if s > 1000.0 => "over 1000 standard errors".to_owned(),
            s => format!("{s:.0} standard errors"),
        };
        format!(
            "failure rate {} from {}, was {} ({} min before, {} after; shift {:.1} points, {sigmas})",
            pct(self.after_mean),
            self.at.format("%H:%M"),
            pct(self.before_mean),
            self.counts.0,
            self.counts.1,
            self.shift() * 100.0
        )
    }
}

/// A rate as a percentage with one decimal.
pub fn pct(rate: f64) -> String {
    format!("{:.1} %", rate * 100.0)
}

fn mean(v: &[f64]) -> f64 {
    if v.is_empty() {
        0.0
    } else {
        v.iter().sum::<f64>() / v.len() as f64
    }
}

fn sum_sq(v: &[f64], m: f64) -> f64 {
    v.iter().map(|x| (x - m).powi(2)).sum()
}

/// The minutes with requests, as (start, failure rate).
fn rates(points: &[MetricPoint]) -> Vec<(DateTime<Utc>, f64)> {
    points
        .iter()
        .filter(|p| p.requests > 0.0)
        .map(|p| (p.at, p.failure_rate()))
        .collect()
}

/// The onset of failures in a series (oldest first), if there is one that passes the tests.
pub fn change_point(points: &[MetricPoint]) -> Option<ChangePoint> {
    let series = rates(points);
    let n = series.len();
    if n < MIN_POINTS {
        return None;
    }
    let x: Vec<f64> = series.iter().map(|p| p.1).collect();
    let best = (MIN_BEFORE..n)
        .filter_map(|k| {
            let (m1, m2) = (mean(&x[..k]), mean(&x[k..]));
            let score = (k * (n - k)) as f64 / n as f64 * (m2 - m1).powi(2);
            (m2 > m1).then_some((k, m1, m2, score))
        })
        .max_by(|a, b| a.3.total_cmp(&b.3))?;
    let (k, m1, m2, _) = best;
    let (before, after) = x.split_at(k);
    let pooled = ((sum_sq(before, m1) + sum_sq(after, m2)) / (n - 2) as f64).sqrt();
    let std_err = pooled * (1.0 / k as f64 + 1.0 / (n - k) as f64).sqrt();
    let shift = m2 - m1;
    let cp = ChangePoint {
        at: series[k].0,
        before_mean: m1,
        after_mean: m2,
        before_sd: (sum_sq(before, m1) / (k - 1) as f64).sqrt(),
        std_err,
        counts: (k, n - k),
    };
    (shift >= MIN_SHIFT && shift >= MIN_STD_ERRORS * std_err).then_some(cp)
}

/// What "normal" looked like before the incident.
#[derive(Debug, Clone, PartialEq)]
pub struct Baseline {
    /// Mean failure rate.
    pub failure_rate: f64,
    /// The highest failure rate still counted as normal.
    pub ceiling: f64,
    /// Mean of the per-minute average response times, where reported.
    pub avg_ms: Option<f64>,
    /// Highest per-minute maximum response time, where reported.
    pub max_ms: Option<f64>,
    /// Mean of the per-minute p95 response times, where reported (Log Analytics).
    pub p95_ms: Option<f64>,
    /// Minutes it was measured over.
    pub minutes: usize,
    /// Where it came from (`before the onset at 09:05`, `the minutes before 09:10`).
    pub basis: String,
}

/// The baseline of the minutes in `points` (all taken as normal).
pub fn baseline_of(points: &[MetricPoint], basis: String) -> Option<Baseline> {
    let x: Vec<f64> = rates(points).into_iter().map(|p| p.1).collect();
    if x.len() < MIN_BEFORE {
        return None;
    }
    let m = mean(&x);
    let sd = (sum_sq(&x, m) / (x.len() - 1) as f64).sqrt();
    let avg: Vec<f64> = points.iter().filter_map(|p| p.avg_ms).collect();
    let max_ms = points.iter().filter_map(|p| p.max_ms).reduce(f64::max);
    let p95: Vec<f64> = points.iter().filter_map(|p| p.p95_ms).collect();
    Some(Baseline {
        p95_ms: (!p95.is_empty()).then(|| mean(&p95)),
        failure_rate: m,
        ceiling: m + (3.0 * sd).max(BASELINE_MARGIN),
        avg_ms: (!avg.is_empty()).then(|| mean(&avg)),
        max_ms,
        minutes: x.len(),
        basis,
    })
}

/// The pre-incident baseline of a series: the minutes before its change point, or, when there
/// is no change point, every minute before `until` (the series was normal throughout).
pub fn baseline(points: &[MetricPoint], until: Option<DateTime<Utc>>) -> Option<Baseline> {
    let before: Vec<MetricPoint> = points
        .iter()
        .filter(|p| until.is_none_or(|u| p.at < u))
        .cloned()
        .collect();
    match change_point(&before) {
        Some(cp) => {
            let normal: Vec<MetricPoint> =
                before.iter().filter(|p| p.at < cp.at).cloned().collect();
            baseline_of(
                &normal,
                format!("the minutes before the onset at {}", cp.at.format("%H:%M")),
            )
        }
        None => baseline_of(&before, "the minutes observed".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn t(min: usize) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 4, 4, 9, 0, 0)
            .single()
            .expect("valid")
            + Duration::minutes(i64::try_from(min).expect("small"))
    }

    fn series(rates: &[f64]) -> Vec<MetricPoint> {
        rates
            .iter()
            .enumerate()
            .map(|(i, r)| MetricPoint {
                at: t(i),
                requests: 1000.0,
                failures: r * 1000.0,
                avg_ms: Some(80.0),
                max_ms: Some(300.0),
                p95_ms: None,
            })
            .collect()
    }

    #[test]
    fn a_step_up_is_found_at_its_first_minute() {
        let s = series(&[
            0.002, 0.003, 0.001, 0.002, 0.004, 0.002, 0.31, 0.29, 0.33, 0.30,
        ]);
        let cp = change_point(&s).expect("onset");
        assert_eq!(cp.at, t(6));
        assert_eq!(cp.counts, (6, 4));
        assert!((cp.before_mean - 0.002_333).abs() < 1e-5);
        assert!(cp.sigmas() > 20.0, "{}", cp.sigmas());
        assert!(
            cp.words().contains("30.8 % from 09:06, was 0.2 %"),
            "{}",
            cp.words()
        );
    }

    #[test]
    fn noise_without_a_step_is_not_an_onset() {
        // Wobbly: the best split (before the last minute) shifts by 8.8 points, far above the
        // absolute floor, but that is only 1.6 standard errors of the noise.
        let s = series(&[0.02, 0.10, 0.03, 0.12, 0.01, 0.15, 0.04, 0.13, 0.05, 0.16]);
        assert_eq!(change_point(&s), None);
    }

    #[test]
    fn a_clean_but_tiny_step_is_under_the_absolute_floor() {
        let s = series(&[0.001, 0.001, 0.001, 0.001, 0.011, 0.011, 0.011]);
        assert_eq!(change_point(&s), None);
    }

    #[test]
    fn too_few_minutes_or_a_downward_step_give_nothing() {
        assert_eq!(change_point(&series(&[0.0, 0.0, 0.5, 0.5])), None);
        assert_eq!(change_point(&series(&[0.4, 0.4, 0.4, 0.0, 0.0, 0.0])), None);
    }

    #[test]
    fn minutes_without_requests_are_left_out() {
        let mut s = series(&[0.0, 0.0, 0.0, 0.0, 0.3, 0.3]);
        s[1].requests = 0.0;
        s[2].requests = 0.0;
        // Four minutes with requests remain: too few.
        assert_eq!(change_point(&s), None);
    }

    #[test]
    fn the_baseline_is_the_minutes_before_the_onset() {
        let s = series(&[0.002, 0.004, 0.002, 0.004, 0.002, 0.4, 0.4, 0.4]);
        let b = baseline(&s, None).expect("baseline");
        assert_eq!(b.minutes, 5);
        assert!((b.failure_rate - 0.0028).abs() < 1e-9);
        assert!(b.ceiling >= b.failure_rate + BASELINE_MARGIN);
        assert!(b.basis.contains("09:05"), "{}", b.basis);
        // Cut before the onset: no change point, the whole cut is the baseline.
        let b = baseline(&s, Some(t(4))).expect("baseline");
        assert_eq!(b.minutes, 4);
        assert_eq!(b.avg_ms, Some(80.0));
    }
}
