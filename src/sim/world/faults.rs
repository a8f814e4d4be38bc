//! API fault windows: periods of virtual time during which ARM throttles (429 + `Retry-After`),
//! fails (500/503) or answers slowly. The server applies them to each ARM request at the
//! request's virtual time; this module only keeps the windows and answers "what is active at t".

use chrono::{DateTime, Utc};

/// What a fault window does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultKind {
    /// 429 with this `Retry-After` (seconds).
    Throttle {
        /// Seconds.
        retry_after: u32,
    },
    /// 500 or 503.
    Error {
        /// Status code.
        status: u16,
    },
    /// Responses delayed by this many real milliseconds.
    Slow {
        /// Milliseconds.
        delay_ms: u64,
    },
}

/// A fault active over `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FaultWindow {
    /// Start.
    pub start: DateTime<Utc>,
    /// End (exclusive).
    pub end: DateTime<Utc>,
    /// What it does.
    pub kind: FaultKind,
}

/// The faults active at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ActiveFaults {
    /// Throttling with its `Retry-After`, if active.
    pub throttle: Option<u32>,
    /// A server error status, if active.
    pub error: Option<u16>,
    /// Added delay, real milliseconds (0 when none).
    pub delay_ms: u64,
}

/// All fault windows of a world.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Faults {
    windows: Vec<FaultWindow>,
}

impl Faults {
    /// Adds a window.
    pub fn add(&mut self, w: FaultWindow) {
        self.windows.push(w);
    }

    /// Ends every window still open at `t`.
    pub fn clear(&mut self, t: DateTime<Utc>) {
        for w in &mut self.windows {
            if w.start <= t && w.end > t {
                w.end = t;
            }
        }
    }

    /// The faults active at `t`. When windows of one kind overlap, the latest-starting wins.
    pub fn at(&self, t: DateTime<Utc>) -> ActiveFaults {
        let mut out = ActiveFaults::default();
        let mut active: Vec<&FaultWindow> = self
            .windows
            .iter()
            .filter(|w| w.start <= t && t < w.end)
            .collect();
        active.sort_by_key(|w| w.start);
        for w in active {
            match w.kind {
                FaultKind::Throttle { retry_after } => out.throttle = Some(retry_after),
                FaultKind::Error { status } => out.error = Some(status),
                FaultKind::Slow { delay_ms } => out.delay_ms = delay_ms,
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeDelta;

    fn t(s: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_775_293_200 + s, 0).expect("valid")
    }

    #[test]
    fn windows_are_half_open_and_clearable() {
        let mut f = Faults::default();
        f.add(FaultWindow {
            start: t(30),
            end: t(60),
            kind: FaultKind::Throttle { retry_after: 2 },
        });
        f.add(FaultWindow {
            start: t(40),
            end: t(40) + TimeDelta::hours(1),
            kind: FaultKind::Slow { delay_ms: 100 },
        });
        assert_eq!(f.at(t(29)), ActiveFaults::default());
        assert_eq!(f.at(t(30)).throttle, Some(2));
        assert_eq!(f.at(t(45)).delay_ms, 100);
        assert_eq!(f.at(t(60)).throttle, None);
        f.clear(t(70));
        assert_eq!(f.at(t(71)), ActiveFaults::default());
        assert_eq!(f.at(t(50)).delay_ms, 100, "the past is kept");
    }
}
