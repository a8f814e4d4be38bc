//! [`History`]: a value that changes at instants, kept whole so that the world can answer "what
//! was it at time t" for any past t. Telemetry of past minutes is derived from these histories,
//! which is what makes it independent of the order it is asked for in.

use chrono::{DateTime, TimeDelta, Utc};

/// A value with every change it went through, in time order.
#[derive(Debug, Clone, PartialEq)]
pub struct History<T> {
    initial: T,
    changes: Vec<(DateTime<Utc>, T)>,
}

impl<T> History<T> {
    /// A history that has always had `initial`.
    pub fn new(initial: T) -> Self {
        Self {
            initial,
            changes: Vec::new(),
        }
    }

    /// The value at `t`.
    pub fn at(&self, t: DateTime<Utc>) -> &T {
        let n = self.changes.partition_point(|(ct, _)| *ct <= t);
        match n {
            0 => &self.initial,
            _ => &self.changes[n - 1].1,
        }
    }

    /// The latest value.
    pub fn current(&self) -> &T {
        self.changes.last().map_or(&self.initial, |(_, v)| v)
    }

    /// Records that the value became `v` at `t`. Times never go backwards: a `t` before the last
    /// change is recorded at the last change's time.
    pub fn set(&mut self, t: DateTime<Utc>, v: T) {
        let t = self.changes.last().map_or(t, |(last, _)| t.max(*last));
        self.changes.push((t, v));
    }

    /// When the value held at `t` was set (`None` when it is the initial value).
    pub fn since(&self, t: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let n = self.changes.partition_point(|(ct, _)| *ct <= t);
        n.checked_sub(1).map(|i| self.changes[i].0)
    }

    /// Every change, in time order.
    pub fn changes(&self) -> &[(DateTime<Utc>, T)] {
        &self.changes
    }
}

impl History<bool> {
    /// How long the value was `true` within `[from, to)`.
    pub fn time_true(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> TimeDelta {
        if to <= from {
            return TimeDelta::zero();
        }
        let mut total = TimeDelta::zero();
        let mut cursor = from;
        let mut value = *self.at(from);
        for (ct, v) in &self.changes {
            if *ct <= from {
                continue;
            }
            if *ct >= to {
                break;
            }
            if value {
                total += *ct - cursor;
            }
            cursor = *ct;
            value = *v;
        }
        if value {
            total += to - cursor;
        }
        total
    }

    /// When the current run of `true` at `t` began, if the value is `true` at `t`. `None` when
    /// it is `false`; the start of time when it has always been `true`.
    pub fn true_since(&self, t: DateTime<Utc>) -> Option<DateTime<Utc>> {
        if !*self.at(t) {
            return None;
        }
        let n = self.changes.partition_point(|(ct, _)| *ct <= t);
        let mut start = DateTime::<Utc>::MIN_UTC;
        for i in (0..n).rev() {
            if self.changes[i].1 {
                start = self.changes[i].0;
            } else {
                return Some(start);
            }
        }
        if self.initial {
            Some(DateTime::<Utc>::MIN_UTC)
        } else {
            Some(start)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_775_000_000 + s, 0).expect("valid")
    }

    #[test]
    fn answers_for_any_past_time() {
        let mut h = History::new("a");
        h.set(t(10), "b");
        h.set(t(20), "c");
        assert_eq!(*h.at(t(0)), "a");
        assert_eq!(*h.at(t(10)), "b");
        assert_eq!(*h.at(t(19)), "b");
        assert_eq!(*h.at(t(25)), "c");
        assert_eq!(*h.current(), "c");
        assert_eq!(h.since(t(15)), Some(t(10)));
        assert_eq!(h.since(t(5)), None);
    }

    #[test]
    fn never_goes_backwards() {
        let mut h = History::new(0);
        h.set(t(10), 1);
        h.set(t(5), 2);
        assert_eq!(h.changes()[1].0, t(10));
        assert_eq!(*h.at(t(10)), 2);
    }

    #[test]
    fn measures_time_true_and_run_starts() {
        let mut h = History::new(false);
        h.set(t(10), true);
        h.set(t(30), false);
        h.set(t(40), true);
        assert_eq!(h.time_true(t(0), t(50)), TimeDelta::seconds(30));
        assert_eq!(h.time_true(t(15), t(35)), TimeDelta::seconds(15));
        assert_eq!(h.true_since(t(20)), Some(t(10)));
        assert_eq!(h.true_since(t(35)), None);
        assert_eq!(h.true_since(t(45)), Some(t(40)));
        h.set(t(50), true);
        assert_eq!(h.true_since(t(55)), Some(t(40)));
    }
}
