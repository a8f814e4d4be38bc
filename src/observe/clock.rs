//! The clock observations are stamped with: wall time against real Azure, the simulator's virtual
//! time in the demo and drills. `speed` scales refresh intervals so a drill run ten times faster
//! than real time still refreshes at the same virtual cadence.

use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, Utc};

/// A source of "now" plus the speed of virtual time relative to wall time.
#[derive(Clone)]
pub struct Clock {
    now: Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>,
    speed: f64,
}

impl Clock {
    /// Wall-clock time.
    pub fn wall() -> Self {
        Self {
            now: Arc::new(Utc::now),
            speed: 1.0,
        }
    }

    /// Any time source, with its speed relative to wall time.
    pub fn custom(now: impl Fn() -> DateTime<Utc> + Send + Sync + 'static, speed: f64) -> Self {
        Self {
            now: Arc::new(now),
            speed: if speed > 0.0 { speed } else { 1.0 },
        }
    }

    /// Now.
    pub fn now(&self) -> DateTime<Utc> {
        (self.now)()
    }

    /// Virtual seconds per wall second.
    pub fn speed(&self) -> f64 {
        self.speed
    }

    /// The wall-clock wait for a virtual interval.
    pub fn wall_interval(&self, virtual_interval: chrono::Duration) -> std::time::Duration {
        let ms = virtual_interval.num_milliseconds().max(1) as f64 / self.speed;
        std::time::Duration::from_millis(ms.max(50.0) as u64)
    }
}

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Clock")
            .field("speed", &self.speed)
            .finish_non_exhaustive()
    }
}
