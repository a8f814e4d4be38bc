//! The source kinds and, for each, how one refresh reads Azure and updates the snapshot. Reads
//! that Azure offers in batch are made in batch: Resource Graph for the inventory and site state,
//! Resource Health per resource group, several metrics of up to 50 apps per request.

use std::future::Future;
use std::sync::{Arc, Mutex};

use chrono::Duration;
use tokio::task::JoinSet;

use crate::azure::client::AzureClient;
use crate::azure::queues::QueueClient;
use crate::config::Estate;
use crate::model::Snapshot;

use super::clock::Clock;

mod apps;
mod data;
mod metrics;
mod platform;

/// Everything a refresh needs.
#[derive(Clone)]
pub struct Ctx {
    /// The client.
    pub client: Arc<AzureClient>,
    /// The Storage queue data-plane client.
    pub queues: Arc<QueueClient>,
    /// The estate.
    pub estate: Arc<Estate>,
    /// The clock observations are stamped with.
    pub clock: Clock,
    /// The snapshot being maintained.
    pub snapshot: Arc<Mutex<Snapshot>>,
}

impl Ctx {
    /// Applies a change to the snapshot.
    pub fn update(&self, f: impl FnOnce(&mut Snapshot)) {
        // A poisoned lock means a refresh panicked mid-update; the data is still the best we have.
        let mut snap = self
            .snapshot
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut snap);
    }
}

/// A kind of source, refreshed together on one interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SourceKind {
    /// Resource Graph: the inventory and every site's state.
    Inventory,
    /// Resource Health per resource group.
    Platform,
    /// The apps' health endpoints, every slot.
    Health,
    /// Azure Monitor request metrics per app.
    Metrics,
    /// Deployment history per slot.
    Deployments,
    /// App settings, keys and functions (as digests and states).
    Config,
    /// Traffic Manager and Front Door.
    Routes,
    /// Queue depth and oldest message.
    Queues,
    /// Storage geo-replication.
    Storage,
    /// Messaging geo-DR aliases.
    Aliases,
    /// The activity log.
    Activity,
}

impl SourceKind {
    /// Every kind.
    pub const ALL: [Self; 11] = [
        Self::Inventory,
        Self::Platform,
        Self::Health,
        Self::Metrics,
        Self::Deployments,
        Self::Config,
        Self::Routes,
        Self::Queues,
        Self::Storage,
        Self::Aliases,
        Self::Activity,
    ];

    /// The refresh interval (virtual time); data older than this is stale.
    pub fn interval(self) -> Duration {
        Duration::seconds(match self {
            Self::Health => 15,
            Self::Routes | Self::Queues => 30,
            Self::Config => 300,
            _ => 60,
        })
    }

    /// A short name for sources and errors.
    pub fn label(self) -> &'static str {
        match self {
            Self::Inventory => "ARM Resource Graph",
            Self::Platform => "ARM Resource Health",
            Self::Health => "health endpoint",
            Self::Metrics => "ARM metrics",
            Self::Deployments => "ARM deployments",
            Self::Config => "ARM config",
            Self::Routes => "ARM routing",
            Self::Queues => "queue data plane",
            Self::Storage => "ARM storage",
            Self::Aliases => "ARM geo-DR",
            Self::Activity => "ARM activity log",
        }
    }

    /// Runs one refresh of this kind.
    pub async fn refresh(self, ctx: &Ctx) {
        match self {
            Self::Inventory => platform::inventory(ctx).await,
            Self::Platform => platform::resource_health(ctx).await,
            Self::Health => apps::health(ctx).await,
            Self::Metrics => metrics::metrics(ctx).await,
            Self::Deployments => apps::deployments(ctx).await,
            Self::Config => apps::config(ctx).await,
            Self::Routes => data::routes(ctx).await,
            Self::Queues => data::queues(ctx).await,
            Self::Storage => data::storage(ctx).await,
            Self::Aliases => data::aliases(ctx).await,
            Self::Activity => platform::activity(ctx).await,
        }
    }
}

/// The most requests one source kind keeps in flight.
const FAN_OUT: usize = 8;

/// Runs `f` over `items` with at most [`FAN_OUT`] in flight, returning results in input order.
pub async fn fan_out<I, T, F, Fut>(items: Vec<I>, f: F) -> Vec<T>
where
    I: Send + 'static,
    T: Send + 'static,
    F: Fn(I) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = T> + Send + 'static,
{
    let f = Arc::new(f);
    let sem = Arc::new(tokio::sync::Semaphore::new(FAN_OUT));
    let mut set = JoinSet::new();
    for (i, item) in items.into_iter().enumerate() {
        let f = Arc::clone(&f);
        let sem = Arc::clone(&sem);
        set.spawn(async move {
            let _permit = sem.acquire_owned().await;
            (i, f(item).await)
        });
    }
    let mut out: Vec<(usize, T)> = Vec::new();
    while let Some(joined) = set.join_next().await {
        if let Ok(pair) = joined {
            out.push(pair);
        }
    }
    out.sort_by_key(|(i, _)| *i);
    out.into_iter().map(|(_, t)| t).collect()
}
