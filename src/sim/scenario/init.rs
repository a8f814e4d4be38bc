//! The per-resource parts of a scenario file: version behaviour, defaults, and the initial state
//! of apps (slots and deployment history), queues, storage accounts and aliases. Owns their shape.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::offset::Offset;

/// How a release version behaves.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct VersionProfile {
    /// Probability that a request fails with a 5xx.
    pub failure_probability: f64,
    /// Median latency, milliseconds.
    pub latency_p50_ms: f64,
    /// 95th percentile latency, milliseconds.
    pub latency_p95_ms: f64,
}

impl Default for VersionProfile {
    fn default() -> Self {
        Self {
            failure_probability: 0.002,
            latency_p50_ms: 90.0,
            latency_p95_ms: 260.0,
        }
    }
}

/// Defaults for everything a scenario does not set one by one.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Defaults {
    /// The version running in every slot not set otherwise.
    pub version: String,
    /// Behaviour of versions missing from `[versions]`.
    pub profile: VersionProfile,
    /// Requests per minute to an app's production slot.
    pub requests_per_minute: f64,
    /// Share of an app's load its non-production slots get (smoke tests, warm-up).
    pub slot_load_fraction: f64,
    /// Messages (or events) arriving per minute on a queue.
    pub arrivals_per_minute: f64,
    /// Messages a healthy consumer processes per minute.
    pub processing_per_minute: f64,
    /// Geo-replication lag of geo-redundant storage, seconds.
    pub geo_lag_seconds: f64,
    /// Pending replication operations of a geo-DR alias.
    pub pending_replication_operations: u64,
    /// How long a slot's host takes to start after a successful deployment (a timeline `deploy`
    /// or a zip deploy through Kudu), seconds: until then its health endpoint answers 503
    /// without a report, as a cold Functions host does. 0, the default, starts it warm at once.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub cold_start_seconds: f64,
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's skip_serializing_if passes a reference
fn is_zero(v: &f64) -> bool {
    *v <= 0.0
}

impl Default for Defaults {
    fn default() -> Self {
        Self {
            version: "1.0.0".to_owned(),
            profile: VersionProfile::default(),
            requests_per_minute: 300.0,
            slot_load_fraction: 0.02,
            arrivals_per_minute: 120.0,
            processing_per_minute: 240.0,
            geo_lag_seconds: 15.0,
            pending_replication_operations: 0,
            cold_start_seconds: 0.0,
        }
    }
}

/// An app's initial state.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct AppInit {
    /// The app.
    pub name: String,
    /// Requests per minute to its production slot.
    pub requests_per_minute: Option<f64>,
    /// Version per slot (`production`, `staging`, …); slots not listed run the default version.
    #[serde(default)]
    pub slots: BTreeMap<String, String>,
    /// Deployment history before the start, oldest first. When empty, one deployment of each
    /// slot's version is made up, a few days before the start.
    #[serde(default, rename = "deployment")]
    pub deployments: Vec<DeploymentInit>,
}

/// One past deployment.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DeploymentInit {
    /// The slot.
    #[serde(default = "production_slot")]
    pub slot: String,
    /// The version deployed.
    pub version: String,
    /// When (a negative offset).
    pub at: Offset,
    /// The deployer.
    #[serde(default = "default_deployer")]
    pub deployer: String,
    /// The author.
    #[serde(default = "default_author")]
    pub author: String,
    /// Whether it succeeded (a failed one leaves the slot's version unchanged).
    #[serde(default = "yes")]
    pub succeeded: bool,
}

fn production_slot() -> String {
    "production".to_owned()
}

fn default_deployer() -> String {
    "GitHub Actions".to_owned()
}

fn default_author() -> String {
    "release-pipeline".to_owned()
}

fn yes() -> bool {
    true
}

/// A queue's rates. A queue is named by its account (storage account or namespace) and name.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct QueueInit {
    /// Storage account or namespace.
    pub account: String,
    /// Queue, Service Bus queue or event hub.
    pub name: String,
    /// Arrivals per minute.
    pub arrivals_per_minute: Option<f64>,
    /// Processing capacity per minute of a healthy consumer.
    pub processing_per_minute: Option<f64>,
    /// Messages waiting at the start.
    #[serde(default)]
    pub initial_depth: u64,
}

/// A storage account's replication.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct StorageInit {
    /// The account.
    pub account: String,
    /// Geo-replication lag, seconds.
    pub geo_lag_seconds: f64,
}

/// A geo-DR alias's replication backlog.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct AliasInit {
    /// The alias.
    pub name: String,
    /// Pending replication operations.
    pub pending_replication_operations: u64,
}
