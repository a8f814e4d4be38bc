//! The [`Observer`]: one refresh of everything (for `warroom status`), or one task per source kind
//! on its own interval (for the console), publishing snapshots on a `watch` channel.

use std::sync::{Arc, Mutex};

use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::azure::client::AzureClient;
use crate::azure::queues::QueueClient;
use crate::config::Estate;
use crate::model::Snapshot;

use super::clock::Clock;
use super::init::empty_snapshot;
use super::sources::{Ctx, SourceKind};

/// Counts of one full refresh, for the requests-per-refresh figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefreshStats {
    /// Source kinds refreshed.
    pub kinds: usize,
}

/// Builds snapshots of one estate from one client.
#[derive(Clone)]
pub struct Observer {
    ctx: Ctx,
}

impl Observer {
    /// An observer with an empty snapshot of the estate.
    pub fn new(
        client: Arc<AzureClient>,
        queues: Arc<QueueClient>,
        estate: Arc<Estate>,
        clock: Clock,
        simulated: bool,
    ) -> Self {
        let snap = empty_snapshot(&estate, simulated, clock.now());
        Self {
            ctx: Ctx {
                client,
                queues,
                estate,
                clock,
                snapshot: Arc::new(Mutex::new(snap)),
            },
        }
    }

    /// The current snapshot, stamped now.
    pub fn snapshot(&self) -> Snapshot {
        let mut snap = self
            .ctx
            .snapshot
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        snap.taken_at = self.ctx.clock.now();
        snap
    }

    /// Refreshes every source kind once, concurrently, and returns the snapshot.
    pub async fn refresh_all(&self) -> Snapshot {
        self.refresh(&SourceKind::ALL).await;
        self.snapshot()
    }

    /// Refreshes the given kinds once, concurrently.
    pub async fn refresh(&self, kinds: &[SourceKind]) -> RefreshStats {
        let mut set = JoinSet::new();
        for &kind in kinds {
            let ctx = self.ctx.clone();
            set.spawn(async move { kind.refresh(&ctx).await });
        }
        while set.join_next().await.is_some() {}
        RefreshStats { kinds: kinds.len() }
    }

    /// Starts one task per source kind, each refreshing on its interval, and returns the channel
    /// the snapshots are published on. The tasks stop when `stop` is set to `true` or every
    /// receiver is dropped.
    pub fn spawn(&self, mut stop: watch::Receiver<bool>) -> watch::Receiver<Arc<Snapshot>> {
        let (tx, rx) = watch::channel(Arc::new(self.snapshot()));
        let tx = Arc::new(tx);
        for kind in SourceKind::ALL {
            let this = self.clone();
            let tx = Arc::clone(&tx);
            let mut stop = stop.clone();
            tokio::spawn(async move {
                let wait = this.ctx.clock.wall_interval(kind.interval());
                loop {
                    kind.refresh(&this.ctx).await;
                    tx.send_replace(Arc::new(this.snapshot()));
                    tokio::select! {
                        () = tokio::time::sleep(wait) => {}
                        _ = stop.changed() => break,
                        () = tx.closed() => break,
                    }
                    if *stop.borrow() {
                        break;
                    }
                }
            });
        }
        // Keep the caller's receiver alive semantics simple: the stop channel is only read.
        let _ = stop.borrow_and_update();
        rx
    }
}
