//! The fault timeline of a scenario: events applied at virtual offsets from its start.
//!
//! Owns the shape of each event as written in a scenario file (`[[event]]` tables with a `kind`).
//! Applying them to the world is `world::events`' job.

use serde::{Deserialize, Serialize};

use super::offset::Offset;

/// A health check of an app's health report that a dependency failure can break.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Check {
    /// The app's storage account (`AzureWebJobsStorage`, task hub).
    Storage,
    /// The queue or messaging namespace it consumes.
    Queue,
    /// A downstream API it calls.
    Downstream,
}

impl Check {
    /// The key of this check in the health report's `checks`.
    pub fn key(self) -> &'static str {
        match self {
            Self::Storage => "storage",
            Self::Queue => "queue",
            Self::Downstream => "downstream",
        }
    }
}

/// `Enabled` or `Disabled`, as Traffic Manager and Front Door write it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
pub enum Toggle {
    /// Serving.
    Enabled,
    /// Taken out of rotation.
    Disabled,
}

impl Toggle {
    /// Whether this is `Enabled`.
    pub fn is_enabled(self) -> bool {
        self == Self::Enabled
    }
}

fn production() -> String {
    "production".to_owned()
}

fn staging() -> String {
    "staging".to_owned()
}

fn default_deployer() -> String {
    "GitHub Actions".to_owned()
}

fn default_author() -> String {
    "release-pipeline".to_owned()
}

fn default_key() -> String {
    "default".to_owned()
}

/// One timeline event. `at` is the virtual offset from the scenario's start.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Event {
    /// A release deployed to a slot (zip deploy; Kudu and ARM deployment records).
    #[serde(rename_all = "kebab-case")]
    Deploy {
        /// When.
        at: Offset,
        /// The app.
        app: String,
        /// The slot (`production` by default).
        #[serde(default = "production")]
        slot: String,
        /// The release version.
        version: String,
        /// The deployer, e.g. `GitHub Actions`.
        #[serde(default = "default_deployer")]
        deployer: String,
        /// The author.
        #[serde(default = "default_author")]
        author: String,
    },
    /// A slot swap: `slot`'s content goes to `target` and back.
    #[serde(rename_all = "kebab-case")]
    Swap {
        /// When.
        at: Offset,
        /// The app.
        app: String,
        /// The source slot (`staging` by default).
        #[serde(default = "staging")]
        slot: String,
        /// The target slot (`production` by default).
        #[serde(default = "production")]
        target: String,
    },
    /// A restart of an app slot.
    #[serde(rename_all = "kebab-case")]
    Restart {
        /// When.
        at: Offset,
        /// The app.
        app: String,
        /// The slot.
        #[serde(default = "production")]
        slot: String,
    },
    /// A version's behaviour changes (it turns out bad, or is fixed).
    #[serde(rename_all = "kebab-case")]
    BadVersion {
        /// When.
        at: Offset,
        /// The version.
        version: String,
        /// Probability that a request fails.
        failure_probability: f64,
        /// Median latency.
        latency_p50_ms: f64,
        /// 95th percentile latency.
        latency_p95_ms: f64,
    },
    /// A regional platform outage: apps there fail and are unreachable; storage replication
    /// from the region stalls.
    #[serde(rename_all = "kebab-case")]
    RegionOutage {
        /// When.
        at: Offset,
        /// The region (short name or location).
        region: String,
    },
    /// The region recovers.
    #[serde(rename_all = "kebab-case")]
    RegionRecover {
        /// When.
        at: Offset,
        /// The region (short name or location).
        region: String,
    },
    /// A storage account's primary becomes unavailable.
    #[serde(rename_all = "kebab-case")]
    StorageOutage {
        /// When.
        at: Offset,
        /// The account.
        account: String,
    },
    /// The storage account recovers.
    #[serde(rename_all = "kebab-case")]
    ClearStorageOutage {
        /// When.
        at: Offset,
        /// The account.
        account: String,
    },
    /// One dependency of an app fails its health check.
    #[serde(rename_all = "kebab-case")]
    DependencyFailure {
        /// When.
        at: Offset,
        /// The app.
        app: String,
        /// Which check.
        check: Check,
    },
    /// The dependency recovers.
    #[serde(rename_all = "kebab-case")]
    ClearDependencyFailure {
        /// When.
        at: Offset,
        /// The app.
        app: String,
        /// Which check.
        check: Check,
    },
    /// An app stops consuming its queues (its health stays as it was).
    #[serde(rename_all = "kebab-case")]
    ConsumerStopped {
        /// When.
        at: Offset,
        /// The app.
        app: String,
    },
    /// The app consumes again.
    #[serde(rename_all = "kebab-case")]
    ClearConsumerStopped {
        /// When.
        at: Offset,
        /// The app.
        app: String,
    },
    /// App settings drift (typically in the secondary): some change value, some disappear.
    #[serde(rename_all = "kebab-case")]
    SettingsDrift {
        /// When.
        at: Offset,
        /// The app.
        app: String,
        /// The slot.
        #[serde(default = "production")]
        slot: String,
        /// Settings whose value changes.
        #[serde(default)]
        changed: Vec<String>,
        /// Settings that disappear.
        #[serde(default)]
        missing: Vec<String>,
    },
    /// ARM answers 429 with `Retry-After` for `duration`.
    #[serde(rename_all = "kebab-case")]
    ApiThrottling {
        /// When.
        at: Offset,
        /// How long.
        duration: Offset,
        /// The `Retry-After` seconds.
        retry_after: u32,
    },
    /// ARM answers 500 or 503 for `duration`.
    #[serde(rename_all = "kebab-case")]
    ApiErrors {
        /// When.
        at: Offset,
        /// How long.
        duration: Offset,
        /// 500 or 503.
        status: u16,
    },
    /// ARM answers late for `duration`.
    #[serde(rename_all = "kebab-case")]
    SlowApi {
        /// When.
        at: Offset,
        /// How long.
        duration: Offset,
        /// Added delay per response, in real milliseconds.
        delay_ms: u64,
    },
    /// Ends every API fault window.
    #[serde(rename_all = "kebab-case")]
    ClearApiFaults {
        /// When.
        at: Offset,
    },
    /// A Traffic Manager endpoint is enabled or disabled.
    #[serde(rename_all = "kebab-case")]
    SetEndpointStatus {
        /// When.
        at: Offset,
        /// The endpoint's name.
        endpoint: String,
        /// The new status.
        status: Toggle,
    },
    /// A Front Door origin is enabled or disabled.
    #[serde(rename_all = "kebab-case")]
    SetOriginState {
        /// When.
        at: Offset,
        /// The origin's name.
        origin: String,
        /// The new state.
        state: Toggle,
    },
    /// The app's runtime state is corrupted (its host no longer starts from its own site
    /// configuration): every slot's application check fails until the app is rebuilt from its
    /// template. A swap, a redeploy or a restart does not clear it.
    #[serde(rename_all = "kebab-case")]
    RuntimeCorruption {
        /// When.
        at: Offset,
        /// The app.
        app: String,
    },
    /// A Service Bus or Event Hubs namespace becomes unavailable: the apps that consume through
    /// it fail their messaging check, until it recovers or its geo-DR alias points elsewhere.
    #[serde(rename_all = "kebab-case")]
    MessagingOutage {
        /// When.
        at: Offset,
        /// The namespace.
        namespace: String,
    },
    /// The namespace recovers.
    #[serde(rename_all = "kebab-case")]
    ClearMessagingOutage {
        /// When.
        at: Offset,
        /// The namespace.
        namespace: String,
    },
    /// A key changes in one app only (rotated there by hand): a function key when `function` is
    /// given, else a host function key.
    #[serde(rename_all = "kebab-case")]
    KeyDrift {
        /// When.
        at: Offset,
        /// The app.
        app: String,
        /// The slot.
        #[serde(default = "production")]
        slot: String,
        /// The function whose key changes; none for a host key.
        #[serde(default)]
        function: Option<String>,
        /// The key's name.
        #[serde(default = "default_key")]
        name: String,
    },
    /// An app slot's worker process is stuck (leaked connections hold its outbound ports): its
    /// application check fails and most requests fail until the slot is restarted (`POST
    /// …/restart` recycles the process). A deploy reloads only the Functions host and does not
    /// clear it; a swap moves it with the slot's content.
    #[serde(rename_all = "kebab-case")]
    WorkerStuck {
        /// When.
        at: Offset,
        /// The app.
        app: String,
        /// The slot.
        #[serde(default = "production")]
        slot: String,
    },
    /// A release's package is deleted from the artifact store (a retention rule, or by hand):
    /// no longer listed, and a zip deploy from it fails to download it.
    #[serde(rename_all = "kebab-case")]
    ArtifactDeleted {
        /// When.
        at: Offset,
        /// The service (the blob's folder).
        service: String,
        /// The version (the blob is `{service}/{version}.zip`).
        version: String,
    },
    /// An app's timer functions are enabled or disabled (`AzureWebJobs.<name>.Disabled`).
    #[serde(rename_all = "kebab-case")]
    Timers {
        /// When.
        at: Offset,
        /// The app.
        app: String,
        /// The slot.
        #[serde(default = "production")]
        slot: String,
        /// Whether they run.
        enabled: bool,
    },
}

impl Event {
    /// When the event happens, as an offset from the start.
    pub fn at(&self) -> Offset {
        match self {
            Self::Deploy { at, .. }
            | Self::Swap { at, .. }
            | Self::Restart { at, .. }
            | Self::BadVersion { at, .. }
            | Self::RegionOutage { at, .. }
            | Self::RegionRecover { at, .. }
            | Self::StorageOutage { at, .. }
            | Self::ClearStorageOutage { at, .. }
            | Self::DependencyFailure { at, .. }
            | Self::ClearDependencyFailure { at, .. }
            | Self::ConsumerStopped { at, .. }
            | Self::ClearConsumerStopped { at, .. }
            | Self::SettingsDrift { at, .. }
            | Self::ApiThrottling { at, .. }
            | Self::ApiErrors { at, .. }
            | Self::SlowApi { at, .. }
            | Self::ClearApiFaults { at }
            | Self::SetEndpointStatus { at, .. }
            | Self::SetOriginState { at, .. }
            | Self::RuntimeCorruption { at, .. }
            | Self::MessagingOutage { at, .. }
            | Self::ClearMessagingOutage { at, .. }
            | Self::KeyDrift { at, .. }
            | Self::Timers { at, .. }
            | Self::WorkerStuck { at, .. }
            | Self::ArtifactDeleted { at, .. } => *at,
        }
    }

    /// The event's kind as written in the file.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Deploy { .. } => "deploy",
            Self::Swap { .. } => "swap",
            Self::Restart { .. } => "restart",
            Self::BadVersion { .. } => "bad-version",
            Self::RegionOutage { .. } => "region-outage",
            Self::RegionRecover { .. } => "region-recover",
            Self::StorageOutage { .. } => "storage-outage",
            Self::ClearStorageOutage { .. } => "clear-storage-outage",
            Self::DependencyFailure { .. } => "dependency-failure",
            Self::ClearDependencyFailure { .. } => "clear-dependency-failure",
            Self::ConsumerStopped { .. } => "consumer-stopped",
            Self::ClearConsumerStopped { .. } => "clear-consumer-stopped",
            Self::SettingsDrift { .. } => "settings-drift",
            Self::ApiThrottling { .. } => "api-throttling",
            Self::ApiErrors { .. } => "api-errors",
            Self::SlowApi { .. } => "slow-api",
            Self::ClearApiFaults { .. } => "clear-api-faults",
            Self::SetEndpointStatus { .. } => "set-endpoint-status",
            Self::SetOriginState { .. } => "set-origin-state",
            Self::RuntimeCorruption { .. } => "runtime-corruption",
            Self::MessagingOutage { .. } => "messaging-outage",
            Self::ClearMessagingOutage { .. } => "clear-messaging-outage",
            Self::KeyDrift { .. } => "key-drift",
            Self::Timers { .. } => "timers",
            Self::WorkerStuck { .. } => "worker-stuck",
            Self::ArtifactDeleted { .. } => "artifact-deleted",
        }
    }
}
