//! [`Observed<T>`]: a value with the time and source of its last good observation, its refresh
//! interval, and the last error when the source is failing. The last good value is kept beside the
//! error so a pane can show it, marked as old.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

/// Why the last refresh of a source failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceError {
    /// When it failed.
    pub at: DateTime<Utc>,
    /// A one-line description (ARM's code and message where there is one); never a secret.
    pub message: String,
}

/// How much a datum can be trusted right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Freshness {
    /// Observed within its refresh interval.
    Fresh,
    /// Older than its refresh interval (the poller is late, or the source is slow).
    Stale,
    /// The last refresh failed; the value shown is the last good one.
    Failing,
    /// Never observed yet (still loading, or failing from the start).
    Missing,
}

impl Freshness {
    /// A word for the state, for screens and tables (colour never carries it alone).
    pub fn label(self) -> &'static str {
        match self {
            Self::Fresh => "fresh",
            Self::Stale => "STALE",
            Self::Failing => "FAILING",
            Self::Missing => "no data",
        }
    }
}

/// A value as observed from a source.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Observed<T> {
    /// The last good value, if any.
    pub value: Option<T>,
    /// When the last good value was observed.
    pub at: Option<DateTime<Utc>>,
    /// Where it came from, e.g. `ARM sites/list` or `GET /api/health`.
    pub source: String,
    /// How often the source is refreshed; older than this is stale.
    #[serde(serialize_with = "ser_secs")]
    pub refresh: Duration,
    /// The last error, if the most recent refresh failed.
    pub error: Option<SourceError>,
}

fn ser_secs<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_i64(d.num_seconds())
}

impl<T> Observed<T> {
    /// Nothing observed yet.
    pub fn missing(source: impl Into<String>, refresh: Duration) -> Self {
        Self {
            value: None,
            at: None,
            source: source.into(),
            refresh,
            error: None,
        }
    }

    /// A fresh value.
    pub fn ok(value: T, at: DateTime<Utc>, source: impl Into<String>, refresh: Duration) -> Self {
        Self {
            value: Some(value),
            at: Some(at),
            source: source.into(),
            refresh,
            error: None,
        }
    }

    /// Records a new good value, clearing any error.
    pub fn set(&mut self, value: T, at: DateTime<Utc>) {
        self.value = Some(value);
        self.at = Some(at);
        self.error = None;
    }

    /// Records a failure, keeping the last good value.
    pub fn fail(&mut self, message: impl Into<String>, at: DateTime<Utc>) {
        self.error = Some(SourceError {
            at,
            message: message.into(),
        });
    }

    /// Age of the last good value at `now`.
    pub fn age(&self, now: DateTime<Utc>) -> Option<Duration> {
        self.at.map(|at| now - at)
    }

    /// How far the value can be trusted at `now`.
    pub fn freshness(&self, now: DateTime<Utc>) -> Freshness {
        match (&self.value, &self.error, self.age(now)) {
            (None, _, _) | (_, _, None) => Freshness::Missing,
            (Some(_), Some(_), _) => Freshness::Failing,
            (Some(_), None, Some(age)) if age > self.refresh => Freshness::Stale,
            _ => Freshness::Fresh,
        }
    }

    /// The value, whatever its freshness.
    pub fn get(&self) -> Option<&T> {
        self.value.as_ref()
    }
}

/// A short human age: `12s`, `4m`, `2h`, `3d`.
pub fn short_age(age: Duration) -> String {
    let s = age.num_seconds().max(0);
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m", s / 60),
        3600..86_400 => format!("{}h", s / 3600),
        _ => format!("{}d", s / 86_400),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(s: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_775_000_000 + s, 0)
            .single()
            .expect("valid time")
    }

    #[test]
    fn freshness_moves_from_missing_to_fresh_to_stale() {
        let mut o: Observed<u32> = Observed::missing("test", Duration::seconds(30));
        assert_eq!(o.freshness(t(0)), Freshness::Missing);
        o.set(7, t(0));
        assert_eq!(o.freshness(t(30)), Freshness::Fresh);
        assert_eq!(o.freshness(t(31)), Freshness::Stale);
    }

    #[test]
    fn a_failure_keeps_the_last_good_value_and_its_time() {
        let mut o = Observed::ok(7, t(0), "test", Duration::seconds(30));
        o.fail("InternalServerError: boom", t(10));
        assert_eq!(o.freshness(t(11)), Freshness::Failing);
        assert_eq!(o.get(), Some(&7));
        assert_eq!(o.age(t(11)), Some(Duration::seconds(11)));
        o.set(8, t(20));
        assert_eq!(o.freshness(t(21)), Freshness::Fresh);
        assert!(o.error.is_none());
    }

    #[test]
    fn failing_from_the_start_is_missing_not_fresh() {
        let mut o: Observed<u32> = Observed::missing("test", Duration::seconds(30));
        o.fail("boom", t(1));
        assert_eq!(o.freshness(t(2)), Freshness::Missing);
        assert!(o.error.is_some());
    }

    #[test]
    fn short_ages_read_well() {
        assert_eq!(short_age(Duration::seconds(12)), "12s");
        assert_eq!(short_age(Duration::seconds(240)), "4m");
        assert_eq!(short_age(Duration::seconds(7300)), "2h");
        assert_eq!(short_age(Duration::seconds(-5)), "0s");
    }
}
