//! How old a pane's data is: [`AgeSummary`] folds the [`Observed`] parts a pane draws into the
//! oldest age, the worst freshness and the sources that are failing. A part never read yet (and
//! not failing) does not make the whole pane "no data" while other parts have data: its row says
//! so itself. Pure.

use chrono::{DateTime, Duration, Utc};

use crate::model::{Freshness, Observed};

/// The age and trust of everything one pane shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgeSummary {
    /// The age of the oldest datum (`None` when nothing has been observed).
    pub oldest: Option<Duration>,
    /// The worst freshness of the parts read (or failing); `Missing` when none has been.
    pub freshness: Freshness,
    /// How many parts have been read or are failing.
    pub observed: usize,
    /// How many parts have never been read (and are not failing).
    pub unobserved: usize,
    /// Failing sources: (subject and source, message, age of the last good value).
    pub errors: Vec<(String, String, Option<Duration>)>,
}

impl Default for AgeSummary {
    fn default() -> Self {
        Self {
            oldest: None,
            freshness: Freshness::Fresh,
            observed: 0,
            unobserved: 0,
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
        let f = match o.freshness(now) {
            // Failing from the start: there is something to say (the error), not nothing.
            Freshness::Missing if o.error.is_some() => Freshness::Failing,
            f => f,
        };
        if f == Freshness::Missing {
            self.unobserved += 1;
            if self.observed == 0 {
                self.freshness = Freshness::Missing;
            }
        } else {
            if self.observed == 0 || rank(f) > rank(self.freshness) {
                self.freshness = f;
            }
            self.observed += 1;
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

    #[test]
    fn parts_never_read_make_a_pane_no_data_only_when_nothing_was_read() {
        let t0 = Utc
            .with_ymd_and_hms(2026, 3, 14, 3, 0, 0)
            .single()
            .expect("valid");
        let never: Observed<u32> = Observed::missing("lag", Duration::seconds(30));
        let read = Observed::ok(1, t0, "depth", Duration::seconds(30));
        let mut s = AgeSummary::default();
        s.add(&never, t0);
        assert_eq!(s.freshness, Freshness::Missing);
        s.add(&read, t0 + Duration::seconds(4));
        assert_eq!(s.freshness, Freshness::Fresh);
        assert_eq!(s.oldest, Some(Duration::seconds(4)));
        s.add(&never, t0);
        assert_eq!(s.freshness, Freshness::Fresh);
        assert_eq!((s.observed, s.unobserved), (1, 2));
        // Failing before any good value is failing, not missing.
        let mut broken: Observed<u32> = Observed::missing("peek", Duration::seconds(30));
        broken.fail("403 AuthorizationFailure", t0);
        let mut s = AgeSummary::default();
        s.add(&never, t0);
        s.add(&broken, t0);
        assert_eq!(s.freshness, Freshness::Failing);
    }
}
