//! How old a pane's data is: [`AgeSummary`] folds the [`Observed`] parts a pane draws into the
//! oldest age, the worst freshness and the sources that are failing. Pure.

use chrono::{DateTime, Duration, Utc};

use crate::model::{Freshness, Observed};

/// The age and trust of everything one pane shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgeSummary {
    /// The age of the oldest datum (`None` when nothing has been observed).
    pub oldest: Option<Duration>,
    /// The worst freshness.
    pub freshness: Freshness,
    /// Failing sources: (subject and source, message, age of the last good value).
    pub errors: Vec<(String, String, Option<Duration>)>,
}

impl Default for AgeSummary {
    fn default() -> Self {
        Self {
            oldest: None,
            freshness: Freshness::Fresh,
            errors: Vec::new(),
        }
    }
}

fn rank(f: Freshness) -> u8 {
    match f {
        Freshness::Fresh => 0,
        Freshness::Stale => 1,
        Freshness::Failing => 2,
        Freshness::Missing => 3,
    }
}

impl AgeSummary {
    /// Folds one observed datum in.
    pub fn add<T>(&mut self, o: &Observed<T>, now: DateTime<Utc>) {
        self.add_named("", o, now);
    }

    /// Folds one observed datum in, naming what it is about (an app, a queue) for its error.
    pub fn add_named<T>(&mut self, subject: &str, o: &Observed<T>, now: DateTime<Utc>) {
        let f = o.freshness(now);
        if rank(f) > rank(self.freshness) {
            self.freshness = f;
        }
        if let Some(age) = o.age(now) {
            self.oldest = Some(self.oldest.map_or(age, |old| old.max(age)));
        }
        if let Some(e) = &o.error {
            let what = if subject.is_empty() {
                o.source.clone()
            } else {
                format!("{subject} {}", o.source)
            };
            self.errors.push((what, e.message.clone(), o.age(now)));
        }
    }

    /// Whether the pane's data should be drawn as old.
    pub fn is_old(&self) -> bool {
        self.freshness != Freshness::Fresh
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn the_oldest_age_and_the_worst_freshness_win() {
        let t0 = Utc
            .with_ymd_and_hms(2026, 3, 14, 3, 0, 0)
            .single()
            .expect("valid");
        let mut a = Observed::ok(1, t0, "fast", Duration::seconds(30));
        let b = Observed::ok(2, t0 - Duration::seconds(50), "slow", Duration::seconds(60));
        a.fail("429 TooManyRequests", t0);
        let mut s = AgeSummary::default();
        s.add(&b, t0);
        assert_eq!(s.freshness, Freshness::Fresh);
        s.add(&a, t0 + Duration::seconds(5));
        assert_eq!(s.freshness, Freshness::Failing);
        assert_eq!(s.oldest, Some(Duration::seconds(50)));
        assert_eq!(s.errors.len(), 1);
        assert_eq!(s.errors[0].0, "fast");
        assert!(s.is_old());
    }
}
