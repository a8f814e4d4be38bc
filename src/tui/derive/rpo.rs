//! The RPO estimate for the header: the worst of storage geo-replication lag (now − last sync),
//! queue backlog age, and the messaging aliases' pending replication operations (a count, not a
//! time). Pure.

use chrono::{DateTime, Duration, Utc};

use crate::model::Snapshot;

/// What data a failover now could lose, as far as the snapshot tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RpoEstimate {
    /// The worst lag, and what it is (`storage stworkflowprod`, `queue payments`).
    pub worst: Option<(Duration, String)>,
    /// Pending replication operations across the geo-DR aliases.
    pub pending_operations: u64,
    /// The RPO target.
    pub target: Duration,
}

impl RpoEstimate {
    /// Computes the estimate at `now`.
    pub fn of(snap: &Snapshot, now: DateTime<Utc>) -> Self {
        let storage = snap.storage.iter().filter_map(|s| {
            let sync = s.state.get()?.last_sync?;
            Some((now - sync, format!("geo-lag {}", s.name)))
        });
        let queues = snap
            .queues
            .iter()
            .filter_map(|q| Some((q.oldest_age(now)?, format!("queue {}", q.name))));
        let worst = storage
            .chain(queues)
            .max_by(|a, b| a.0.cmp(&b.0).then_with(|| b.1.cmp(&a.1)));
        let pending_operations = snap
            .aliases
            .iter()
            .filter_map(|a| a.state.get())
            .map(|f| f.pending_operations)
            .sum();
        Self {
            worst,
            pending_operations,
            target: Duration::minutes(i64::from(snap.rpo_minutes)),
        }
    }

    /// The worst lag as a fraction of the target (0 when nothing lags).
    pub fn ratio(&self) -> f64 {
        let target = self.target.num_seconds().max(1) as f64;
        self.worst
            .as_ref()
            .map_or(0.0, |(d, _)| d.num_seconds().max(0) as f64 / target)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::fixtures;

    #[test]
    fn the_worst_lag_wins_and_pending_operations_are_counted() {
        let snap = fixtures::bad_release();
        let now = snap.taken_at;
        let rpo = RpoEstimate::of(&snap, now);
        let (lag, what) = rpo.worst.clone().expect("something lags");
        // The fixture's payments queue has held its oldest message for 1m58s, longer than any
        // storage account's replication lag (45s and 80s).
        assert_eq!(what, "queue payments");
        assert_eq!(lag, Duration::seconds(118));
        assert_eq!(rpo.pending_operations, 3);
        assert!((rpo.ratio() - 118.0 / 300.0).abs() < 1e-9);
    }
}
