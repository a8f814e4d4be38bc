//! An LRO clock on the simulator's virtual clock, for tests that follow long-running operations
//! against a simulator whose clock is Manual: each wait the client makes moves virtual time
//! forward by that much (so the operation progresses) and returns at once; no real sleeping.

#![allow(
    dead_code,
    reason = "each test binary uses a different subset of these helpers"
)]

use std::time::Duration;

use chrono::{DateTime, Utc};
use warroom::azure::lro::LroClock;
use warroom::sim::SimClock;

/// Waits that advance a simulator's virtual clock.
pub struct SimLroClock {
    clock: SimClock,
    start: DateTime<Utc>,
}

impl SimLroClock {
    /// A clock starting at the simulator's virtual now.
    pub fn new(clock: &SimClock) -> Self {
        Self {
            clock: clock.clone(),
            start: clock.now(),
        }
    }
}

#[async_trait::async_trait]
impl LroClock for SimLroClock {
    fn elapsed(&self) -> Duration {
        (self.clock.now() - self.start).to_std().unwrap_or_default()
    }

    async fn sleep(&self, d: Duration) {
        self.clock.advance(d);
    }
}
