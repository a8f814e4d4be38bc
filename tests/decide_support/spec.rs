//! The scenario file's shape: the changes to a calm demo estate, the context, and the
//! expectations. Plain serde structs; `mod.rs` and `apps.rs`/`world.rs` turn them into data.

use std::collections::BTreeMap;

use serde::Deserialize;
use warroom::decide::OverrideTarget;

/// One scenario file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// What it shows.
    pub title: String,
    /// The evaluation time.
    pub now: String,
    /// TOML appended to the demo estate (another queue, another storage account).
    pub estate_append: Option<String>,
    /// Apps to change.
    #[serde(default)]
    pub app: Vec<AppSpec>,
    /// Activity log events.
    #[serde(default)]
    pub activity: Vec<ActivitySpec>,
    /// Top-level sources made stale: `activity`, `traffic_manager`, `front_door`, `aliases`.
    #[serde(default)]
    pub stale: Vec<String>,
    /// Route changes.
    #[serde(default)]
    pub route: Vec<RouteSpec>,
    /// Storage changes.
    #[serde(default)]
    pub storage: Vec<StorageSpec>,
    /// Alias changes.
    #[serde(default)]
    pub alias: Vec<AliasSpec>,
    /// Queue changes.
    #[serde(default)]
    pub queue: Vec<QueueSpec>,
    /// The artifact store's listing (by default every version in the apps' histories).
    #[serde(default)]
    pub artifacts: ArtifactsSpec,
    /// The context.
    #[serde(default)]
    pub context: ContextSpec,
    /// What must come out.
    pub expect: Expect,
}

/// Changes to one app.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppSpec {
    pub name: String,
    pub health: Option<String>,
    pub http: Option<u16>,
    pub version: Option<String>,
    /// The version of the production deployment ten days ago (default 2026.03.28).
    pub base_version: Option<String>,
    #[serde(default)]
    pub checks: BTreeMap<String, String>,
    pub staging: Option<SlotSpec>,
    pub failure: Option<String>,
    pub requests: Option<f64>,
    pub latency: Option<String>,
    /// Per-minute p95 (same series syntax); any app with one makes the Log Analytics read
    /// configured and fresh.
    pub p95: Option<String>,
    pub platform: Option<String>,
    #[serde(default)]
    pub deployments: Vec<DeploySpec>,
    #[serde(default)]
    pub settings: BTreeMap<String, String>,
    #[serde(default)]
    pub remove_settings: Vec<String>,
    #[serde(default)]
    pub keys: BTreeMap<String, String>,
    #[serde(default)]
    pub remove_keys: Vec<String>,
    #[serde(default)]
    pub timers_enabled: bool,
    pub last_swap: Option<SwapSpec>,
    /// Sources made stale: `health`, `metrics`, `deployments`, `settings`, `keys`,
    /// `functions`, `platform`, `site`, `staging`.
    #[serde(default)]
    pub stale: Vec<String>,
    /// Sources never read.
    #[serde(default)]
    pub missing: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlotSpec {
    pub health: Option<String>,
    pub version: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeploySpec {
    pub slot: String,
    pub version: String,
    pub ended: Option<String>,
    pub started: Option<String>,
    pub status: Option<String>,
    #[serde(default)]
    pub in_progress: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SwapSpec {
    pub at: String,
    pub from: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActivitySpec {
    pub at: String,
    pub kind: String,
    pub app: String,
    pub slot: Option<String>,
    pub status: Option<String>,
    pub caller: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RouteSpec {
    pub name: String,
    pub enabled: Option<bool>,
    pub monitor: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StorageSpec {
    pub name: String,
    pub last_sync: Option<String>,
    pub primary_status: Option<String>,
    #[serde(default)]
    pub stale: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AliasSpec {
    pub name: String,
    pub pending: Option<u64>,
    #[serde(default)]
    pub stale: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueueSpec {
    pub name: String,
    pub region: String,
    pub depth: Option<u64>,
    pub oldest: Option<String>,
    /// `depth@HH:MM …`, oldest first.
    pub history: Option<String>,
    /// The last reads of depth and oldest failed with this message (the last good values kept).
    pub read_error: Option<String>,
}

/// Changes to the artifact store's listing.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArtifactsSpec {
    /// Packages not listed (deleted from the store): `orders-api/2026.03.28.zip`.
    #[serde(default)]
    pub deleted: Vec<String>,
    /// The listing never succeeded: its read failed with this message (no value).
    pub unreadable: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContextSpec {
    pub incident: Option<IncidentSpec>,
    pub verify_window_minutes: Option<i64>,
    /// When the runtime recorded the recovery as validated (`HH:MM`).
    pub validated_at: Option<String>,
    #[serde(default)]
    pub action: Vec<ActionSpec>,
    #[serde(default)]
    pub in_flight: Vec<TargetSpec>,
    #[serde(default, rename = "override")]
    pub overrides: Vec<OverrideSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IncidentSpec {
    pub detected_at: String,
    pub apps: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionSpec {
    pub kind: String,
    pub target: String,
    pub strategy: Option<String>,
    pub started: String,
    pub finished: Option<String>,
    pub succeeded: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetSpec {
    pub kind: String,
    pub target: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverrideSpec {
    pub target: OverrideTarget,
    pub reason: String,
    pub at: String,
}

/// What must come out of the evaluation.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    #[serde(default)]
    pub nodes: BTreeMap<String, String>,
    #[serde(default)]
    pub evidence: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub overridden_nodes: Vec<String>,
    pub path: Option<Vec<String>>,
    pub recommendation: Option<RecExpect>,
    #[serde(default)]
    pub no_recommendation: bool,
    #[serde(default)]
    pub reasons: Vec<String>,
    pub first_reason: Option<String>,
    #[serde(default)]
    pub gates: BTreeMap<String, String>,
    #[serde(default)]
    pub gate_overridden: Vec<String>,
    #[serde(default)]
    pub gate_details: Vec<String>,
    /// Gate → the override reason it carries, also shown under the gate in the plan's text.
    #[serde(default)]
    pub gate_override_reasons: BTreeMap<String, String>,
    #[serde(default)]
    pub safety_refused: Vec<String>,
    #[serde(default)]
    pub safety_allowed: Vec<String>,
    #[serde(default)]
    pub safety_overridden: Vec<String>,
    #[serde(default)]
    pub safety_reasons: Vec<String>,
    /// Safety rule → the override reason it carries, also shown under the rule in the plan's text.
    #[serde(default)]
    pub safety_override_reasons: BTreeMap<String, String>,
    /// Pieces of evidence with their time and source.
    #[serde(default)]
    pub evidence_of: Vec<EvidenceExpect>,
    pub onset: Option<String>,
    pub affected_apps: Option<Vec<String>>,
    pub affected_regions: Option<Vec<String>>,
    #[serde(default)]
    pub summary: Vec<String>,
    #[serde(default)]
    pub not_anywhere: Vec<String>,
    pub cleared: Option<bool>,
}

/// A piece of evidence on a node: its text contains `text`, it was true at `at` (`HH:MM:SS`)
/// and it came from a source whose name contains `source`, each when given.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceExpect {
    pub node: String,
    pub text: Option<String>,
    pub at: Option<String>,
    pub source: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecExpect {
    pub strategy: String,
    pub kind: String,
    pub target: String,
    /// The release the action names (a redeploy's or rebuild's), when the file says.
    #[serde(default)]
    pub release: Option<String>,
}
