//! The simulator's virtual clock.
//!
//! [`SimClock`] is cheap to clone (an `Arc` inside) and shared by the world and the server. In
//! `Wall` mode virtual time runs at `speed` times real time from a virtual start; in `Manual` mode
//! it moves only when a test calls [`SimClock::advance`] or [`SimClock::set`]. This module owns
//! time only; it never sleeps and knows nothing of the world.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeDelta, Utc};

/// How the clock moves.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ClockMode {
    /// Virtual time = anchor + real time elapsed since the anchor × `speed`.
    Wall {
        /// Virtual seconds per real second.
        speed: f64,
    },
    /// Virtual time moves only by `advance` and `set`.
    Manual,
}

#[derive(Debug)]
struct State {
    mode: ClockMode,
    /// The virtual time at `real_anchor`.
    virtual_anchor: DateTime<Utc>,
    /// The real instant the anchor was taken (Wall mode).
    real_anchor: Instant,
}

impl State {
    fn now(&self) -> DateTime<Utc> {
        match self.mode {
            ClockMode::Manual => self.virtual_anchor,
            ClockMode::Wall { speed } => {
                let real = self.real_anchor.elapsed().as_secs_f64() * speed;
                self.virtual_anchor + seconds(real)
            }
        }
    }

    fn reanchor(&mut self) {
        self.virtual_anchor = self.now();
        self.real_anchor = Instant::now();
    }
}

/// A fractional number of seconds as a `TimeDelta`, saturating at about 292 years.
fn seconds(s: f64) -> TimeDelta {
    let nanos = (s * 1e9).clamp(-9.2e18, 9.2e18) as i64;
    TimeDelta::nanoseconds(nanos)
}

/// The shared virtual clock.
#[derive(Debug, Clone)]
pub struct SimClock {
    inner: Arc<Mutex<State>>,
}

impl SimClock {
    /// A clock at `start` that runs at `speed` times real time.
    pub fn wall(start: DateTime<Utc>, speed: f64) -> Self {
        Self::with_mode(start, ClockMode::Wall { speed })
    }

    /// A clock at `start` that moves only when told to.
    pub fn manual(start: DateTime<Utc>) -> Self {
        Self::with_mode(start, ClockMode::Manual)
    }

    fn with_mode(start: DateTime<Utc>, mode: ClockMode) -> Self {
        Self {
            inner: Arc::new(Mutex::new(State {
                mode,
                virtual_anchor: start,
                real_anchor: Instant::now(),
            })),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding this lock cannot leave the state half-written (every write is a
        // single assignment), so a poisoned lock is still safe to use.
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The current virtual time.
    pub fn now(&self) -> DateTime<Utc> {
        self.lock().now()
    }

    /// The current mode.
    pub fn mode(&self) -> ClockMode {
        self.lock().mode
    }

    /// Moves virtual time forward by `d` (in either mode).
    pub fn advance(&self, d: Duration) {
        let mut s = self.lock();
        s.reanchor();
        s.virtual_anchor += TimeDelta::from_std(d).unwrap_or(TimeDelta::MAX);
    }

    /// Sets virtual time to `t` (in either mode). Setting it backwards is allowed; the world
    /// ignores times before the last one it reached.
    pub fn set(&self, t: DateTime<Utc>) {
        let mut s = self.lock();
        s.virtual_anchor = t;
        s.real_anchor = Instant::now();
    }

    /// Switches to `mode`, keeping the current virtual time.
    pub fn set_mode(&self, mode: ClockMode) {
        let mut s = self.lock();
        s.reanchor();
        s.mode = mode;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t0() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-04-04T09:00:00Z")
            .expect("valid time")
            .with_timezone(&Utc)
    }

    #[test]
    fn manual_clock_moves_only_when_told() {
        let c = SimClock::manual(t0());
        assert_eq!(c.now(), t0());
        c.advance(Duration::from_secs(90));
        assert_eq!(c.now(), t0() + TimeDelta::seconds(90));
        let shared = c.clone();
        shared.set(t0() + TimeDelta::minutes(10));
        assert_eq!(c.now(), t0() + TimeDelta::minutes(10));
    }

    #[test]
    fn wall_clock_runs_at_its_speed() {
        let c = SimClock::wall(t0(), 1000.0);
        let before = Instant::now();
        // Read twice with real time passing in between; no sleeping: spin until a real
        // millisecond has passed, which is a real event rather than a timed wait.
        let a = c.now();
        while before.elapsed() < Duration::from_millis(2) {
            std::hint::spin_loop();
        }
        let b = c.now();
        let virtual_elapsed = (b - a).num_milliseconds();
        // At least 2 real ms × 1000 = 2 virtual seconds minus what passed before `a`.
        assert!(
            virtual_elapsed >= 1000,
            "virtual elapsed {virtual_elapsed} ms"
        );
        assert!(b >= t0());
    }

    #[test]
    fn switching_mode_keeps_the_current_time() {
        let c = SimClock::wall(t0(), 1.0);
        c.advance(Duration::from_hours(1));
        c.set_mode(ClockMode::Manual);
        let frozen = c.now();
        assert!(frozen >= t0() + TimeDelta::seconds(3600));
        assert_eq!(c.now(), frozen);
        assert_eq!(c.mode(), ClockMode::Manual);
    }
}
