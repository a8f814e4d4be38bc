//! The [`Snapshot`]: everything warroom knows about the estate at one instant, each part wrapped in
//! [`Observed`] with its own time, source and error.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::digest::SecretDigest;
use super::observed::Observed;
use super::status::{Health, Routing};

/// The estate at an instant.
#[derive(Debug, Clone, Serialize)]
pub struct Snapshot {
    /// When this snapshot was assembled (virtual time in the simulator).
    pub taken_at: DateTime<Utc>,
    /// Estate display name.
    pub estate: String,
    /// Whether this is the simulator or a real subscription.
    pub simulated: bool,
    /// RTO target, minutes.
    pub rto_minutes: u32,
    /// RPO target, minutes.
    pub rpo_minutes: u32,
    /// Regions in estate order (primary first).
    pub regions: Vec<RegionInfo>,
    /// Apps in estate order.
    pub apps: Vec<AppState>,
    /// Traffic Manager and Front Door.
    pub routes: Routes,
    /// Queues.
    pub queues: Vec<QueueState>,
    /// Storage accounts.
    pub storage: Vec<StorageState>,
    /// Messaging geo-DR aliases.
    pub aliases: Vec<AliasState>,
    /// Swaps, deployments, restarts and config writes from the activity log.
    pub activity: Observed<Vec<ActivityEvent>>,
    /// The inventory from Resource Graph.
    pub inventory: Observed<Vec<InventoryItem>>,
    /// The p95 latency read (Log Analytics), read with the metrics: its value is how many app
    /// minutes the last answer held. `None` when the estate names no Log Analytics workspace.
    pub p95_source: Option<Observed<usize>>,
    /// The artifact store's release packages, read with the deployment history: what a redeploy
    /// can choose from. `None` when the estate names no artifact store.
    pub artifacts: Option<Observed<Vec<ArtifactRecord>>>,
}

/// A region as configured.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegionInfo {
    /// Short name.
    pub name: String,
    /// Azure location.
    pub location: String,
    /// Whether it is the primary.
    pub primary: bool,
    /// Resource group.
    pub resource_group: String,
}

/// One function app.
#[derive(Debug, Clone, Serialize)]
pub struct AppState {
    /// Azure name.
    pub name: String,
    /// Logical service.
    pub service: String,
    /// Region short name.
    pub region: String,
    /// Site facts from ARM.
    pub site: Observed<SiteInfo>,
    /// Production first, then the other slots.
    pub slots: Vec<SlotState>,
    /// Platform health (Resource Health).
    pub platform: Observed<PlatformHealth>,
    /// Per-minute request metrics, oldest first.
    pub metrics: Observed<Vec<MetricPoint>>,
    /// Deployment history, newest first.
    pub deployments: Observed<Vec<DeploymentRecord>>,
    /// App settings: name to keyed digest of the value (never the value).
    pub settings: Observed<BTreeMap<String, SecretDigest>>,
    /// Host and function keys: `host/<name>`, `function/<fn>/<name>` to digest.
    pub keys: Observed<BTreeMap<String, SecretDigest>>,
    /// Functions and whether each is disabled.
    pub functions: Observed<Vec<FunctionState>>,
}

impl AppState {
    /// The production slot.
    pub fn production(&self) -> Option<&SlotState> {
        self.slots.iter().find(|s| s.name == "production")
    }

    /// The app's health: its production slot's health report, or unknown.
    pub fn health(&self) -> Health {
        self.production()
            .and_then(|s| s.health.get())
            .map_or(Health::Unknown, |h| h.status)
    }
}

/// Site facts from ARM.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SiteInfo {
    /// `Running` or `Stopped`.
    pub state: String,
    /// Whether enabled.
    pub enabled: bool,
    /// ARM's availability state (`Normal`, `Limited`, …).
    pub availability: String,
    /// The last swap ARM recorded on the site.
    pub last_swap: Option<(DateTime<Utc>, String, String)>,
}

/// One slot of an app.
#[derive(Debug, Clone, Serialize)]
pub struct SlotState {
    /// `production` or the slot's name.
    pub name: String,
    /// Its health endpoint's report.
    pub health: Observed<HealthReport>,
}

/// The health endpoint's report, parsed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HealthReport {
    /// Overall status (Unreachable when the endpoint did not answer).
    pub status: Health,
    /// HTTP status of the probe.
    pub http_status: Option<u16>,
    /// Each check.
    pub checks: BTreeMap<String, Health>,
    /// Running version.
    pub version: Option<String>,
    /// How long the app's check took.
    pub duration_ms: Option<u64>,
}

/// Resource Health's view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlatformHealth {
    /// Available / Degraded / Unavailable / Unknown as [`Health`].
    pub state: Health,
    /// Azure's word (`Available`, …).
    pub word: String,
    /// Summary.
    pub summary: Option<String>,
    /// When the state began.
    pub since: Option<DateTime<Utc>>,
}

/// One minute of request metrics.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricPoint {
    /// Start of the minute.
    pub at: DateTime<Utc>,
    /// Requests.
    pub requests: f64,
    /// HTTP 5xx responses.
    pub failures: f64,
    /// Average response time, ms.
    pub avg_ms: Option<f64>,
    /// Maximum response time, ms.
    pub max_ms: Option<f64>,
    /// 95th percentile response time, ms, from Log Analytics (`AppRequests`); `None` when no
    /// workspace is configured or its read failed (see [`Snapshot::p95_source`]).
    pub p95_ms: Option<f64>,
}

impl MetricPoint {
    /// Failures per request, 0 when there were no requests.
    pub fn failure_rate(&self) -> f64 {
        if self.requests > 0.0 {
            self.failures / self.requests
        } else {
            0.0
        }
    }
}

/// One deployment of an app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeploymentRecord {
    /// Deployment id.
    pub id: String,
    /// Slot it went to.
    pub slot: String,
    /// Version (Kudu's message).
    pub version: Option<String>,
    /// Deployer.
    pub deployer: Option<String>,
    /// Author.
    pub author: Option<String>,
    /// Kudu status word.
    pub status: String,
    /// Whether it is still running.
    pub in_progress: bool,
    /// Start.
    pub started: Option<DateTime<Utc>>,
    /// End.
    pub ended: Option<DateTime<Utc>>,
    /// Whether it is the active deployment of its slot.
    pub active: bool,
}

/// One release package in the artifact store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArtifactRecord {
    /// Blob name, `{service}/{version}.zip`.
    pub name: String,
    /// The service (the blob's folder), when the name has one.
    pub service: Option<String>,
    /// The version (the file name without `.zip`).
    pub version: String,
    /// When the blob was last written.
    pub last_modified: DateTime<Utc>,
}

/// A function and its state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FunctionState {
    /// Function name.
    pub name: String,
    /// Whether disabled.
    pub disabled: bool,
}

/// Traffic Manager and Front Door.
#[derive(Debug, Clone, Serialize)]
pub struct Routes {
    /// Traffic Manager profile name and endpoints.
    pub traffic_manager: Option<(String, Observed<Vec<RouteState>>)>,
    /// Front Door profile/origin group and origins.
    pub front_door: Option<(String, Observed<Vec<RouteState>>)>,
}

/// One endpoint or origin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RouteState {
    /// Endpoint or origin name.
    pub name: String,
    /// The app it routes to.
    pub app: String,
    /// Enabled and serving, degraded, disabled, checking.
    pub routing: Routing,
    /// Azure's enabled word.
    pub enabled: bool,
    /// Azure's monitor status word, where there is one.
    pub monitor: Option<String>,
    /// Priority.
    pub priority: Option<u32>,
    /// Weight.
    pub weight: Option<u32>,
}

/// A queue's lag.
#[derive(Debug, Clone, Serialize)]
pub struct QueueState {
    /// Queue name.
    pub name: String,
    /// `storage`, `service-bus` or `event-hubs`.
    pub kind: String,
    /// Account or namespace.
    pub account: String,
    /// Region short name.
    pub region: String,
    /// Consuming app.
    pub app: String,
    /// Messages waiting.
    pub depth: Observed<u64>,
    /// Insertion time of the oldest waiting message, when known.
    pub oldest: Observed<Option<DateTime<Utc>>>,
    /// Recent depths, oldest first, for trends.
    pub history: Vec<(DateTime<Utc>, u64)>,
}

impl QueueState {
    /// Age of the oldest message at `now`.
    pub fn oldest_age(&self, now: DateTime<Utc>) -> Option<chrono::Duration> {
        self.oldest.get().copied().flatten().map(|t| now - t)
    }

    /// Growth in messages per minute over the kept history (negative when draining).
    pub fn rate_per_minute(&self) -> Option<f64> {
        let (first, last) = (self.history.first()?, self.history.last()?);
        let minutes = (last.0 - first.0).num_milliseconds() as f64 / 60_000.0;
        (minutes > 0.0).then(|| (last.1 as f64 - first.1 as f64) / minutes)
    }
}

/// A storage account's replication state.
#[derive(Debug, Clone, Serialize)]
pub struct StorageState {
    /// Account name.
    pub name: String,
    /// Region short name.
    pub region: String,
    /// Durable task hub kept here.
    pub task_hub: Option<String>,
    /// The facts.
    pub state: Observed<StorageFacts>,
}

/// Storage replication facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StorageFacts {
    /// SKU name.
    pub sku: String,
    /// Primary status word.
    pub primary_status: Option<String>,
    /// Secondary status word.
    pub secondary_status: Option<String>,
    /// Geo-replication status word.
    pub geo_status: Option<String>,
    /// Last sync time (writes before it are on the secondary).
    pub last_sync: Option<DateTime<Utc>>,
    /// Whether failover is possible.
    pub can_failover: Option<bool>,
    /// The Azure location of the primary (it moves with an account failover), when read.
    pub primary_location: Option<String>,
}

/// A geo-DR alias's state.
#[derive(Debug, Clone, Serialize)]
pub struct AliasState {
    /// Alias name.
    pub name: String,
    /// `service-bus` or `event-hubs`.
    pub kind: String,
    /// Namespace currently primary.
    pub primary_namespace: String,
    /// The facts.
    pub state: Observed<AliasFacts>,
}

/// Geo-DR alias facts, read on the primary namespace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AliasFacts {
    /// Role of the namespace read.
    pub role: String,
    /// Partner namespace.
    pub partner: Option<String>,
    /// Pending replication operations.
    pub pending_operations: u64,
    /// Provisioning state.
    pub provisioning: String,
}

/// What an activity log event was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ActivityKind {
    /// A slot swap.
    Swap,
    /// A deployment or publish.
    Deployment,
    /// A restart.
    Restart,
    /// A configuration write (settings, keys).
    ConfigWrite,
    /// Anything else.
    Other,
}

impl ActivityKind {
    /// A word for the kind.
    pub fn label(self) -> &'static str {
        match self {
            Self::Swap => "slot swap",
            Self::Deployment => "deployment",
            Self::Restart => "restart",
            Self::ConfigWrite => "config write",
            Self::Other => "other",
        }
    }
}

/// One activity log event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActivityEvent {
    /// When.
    pub at: DateTime<Utc>,
    /// What kind.
    pub kind: ActivityKind,
    /// Azure's operation name.
    pub operation: String,
    /// The resource id.
    pub resource_id: String,
    /// Who.
    pub caller: Option<String>,
    /// Status word.
    pub status: Option<String>,
}

/// One row of the Resource Graph inventory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InventoryItem {
    /// ARM id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Type (lower case).
    pub resource_type: String,
    /// Location.
    pub location: Option<String>,
    /// Site state, when it is a site.
    pub state: Option<String>,
}
