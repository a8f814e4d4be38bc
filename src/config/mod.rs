//! `config`: the estate file (TOML) and the resolved [`Estate`] every other module reads.
//!
//! Owns parsing (`file`), validation with precise errors (`validate`) and the resolved types below.
//! It must not touch the network or the clock; it knows nothing of the simulator or the console.
//!
//! Search order: the path given with `--config`, else `$WARROOM_CONFIG`. `warroom demo` uses the
//! embedded [`DEMO_ESTATE`].
//!
//! A file with `[endpoints] cloud = "simulator"` must give `arm` (the simulator's URL): validation
//! rejects it otherwise. `warroom demo` never needs that: it builds its [`Estate`] in code and fills
//! in the URL of the simulator it started.

pub mod error;
pub mod file;
pub mod generate;
mod resolve;
mod validate;

use std::path::Path;

pub use error::{ConfigError, ConfigErrors};
pub use file::{Cloud, PlanKind, QueueKind, RegionRole, Replication, TmEndpointType, TriggerKind};

/// The demo estate shipped in the binary: the runbook's own estate (seed 000).
pub const DEMO_ESTATE: &str = include_str!("../../assets/estates/demo.toml");
/// The name the embedded demo estate is reported under in errors.
pub const DEMO_ESTATE_ORIGIN: &str = "assets/estates/demo.toml";

/// A validated estate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Estate {
    /// Display name.
    pub name: String,
    /// Recovery time objective, minutes.
    pub rto_minutes: u32,
    /// Recovery point objective, minutes.
    pub rpo_minutes: u32,
    /// Incident owner.
    pub owner: String,
    /// Escalation path, in order.
    pub escalation: Vec<String>,
    /// Endpoints the client uses.
    pub endpoints: Endpoints,
    /// Subscriptions.
    pub subscriptions: Vec<Subscription>,
    /// Regions; exactly one is primary.
    pub regions: Vec<Region>,
    /// Function apps.
    pub apps: Vec<App>,
    /// Traffic Manager profile.
    pub traffic_manager: Option<TrafficManager>,
    /// Front Door profile.
    pub front_door: Option<FrontDoor>,
    /// Artifact store.
    pub artifact_store: Option<ArtifactStore>,
    /// Storage accounts.
    pub storage_accounts: Vec<StorageAccount>,
    /// Queues.
    pub queues: Vec<Queue>,
    /// Messaging geo-DR aliases.
    pub geo_dr_aliases: Vec<GeoDrAlias>,
    /// The Log Analytics workspace id p95 latency is read from (`[monitoring]`), if any.
    pub log_analytics_workspace: Option<String>,
}

/// Resolved endpoints: every URL filled in for the chosen cloud.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    /// The cloud.
    pub cloud: Cloud,
    /// ARM base URL without a trailing slash.
    pub arm: String,
    /// Entra ID authority host.
    pub authority: String,
    /// Storage queue endpoint template with `{account}`.
    pub queue: String,
    /// Kudu endpoint template with `{app}`.
    pub kudu: String,
    /// App host template with `{app}`, for health probes.
    pub app_host: String,
    /// Azure Monitor metrics data-plane template with `{region}` (the batch metrics API).
    pub metrics: String,
    /// Blob service endpoint template with `{account}` (the artifact store).
    pub blob: String,
    /// Log Analytics query API base URL without a trailing slash (`{logs}/v1/workspaces/…`).
    pub logs: String,
}

/// A subscription.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    /// Short name.
    pub name: String,
    /// Subscription id.
    pub id: String,
}

/// A region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    /// Short name.
    pub name: String,
    /// Role.
    pub role: RegionRole,
    /// Azure location.
    pub location: String,
    /// Subscription id (resolved from the short name).
    pub subscription_id: String,
    /// Resource group.
    pub resource_group: String,
}

/// A function app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct App {
    /// Azure name.
    pub name: String,
    /// Logical service.
    pub service: String,
    /// Region short name.
    pub region: String,
    /// Plan kind.
    pub plan: PlanKind,
    /// Non-production slots.
    pub slots: Vec<String>,
    /// Health endpoint path.
    pub health_path: String,
    /// Trigger kinds.
    pub triggers: Vec<TriggerKind>,
    /// Timer-trigger function names.
    pub timer_functions: Vec<String>,
    /// Other function names.
    pub functions: Vec<String>,
    /// Storage account of the Durable task hub.
    pub task_hub_storage: Option<String>,
}

/// Traffic Manager profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrafficManager {
    /// Profile name.
    pub profile: String,
    /// Region (short name) of the resource group holding it.
    pub region: String,
    /// Endpoints.
    pub endpoints: Vec<TmEndpoint>,
}

/// Traffic Manager endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TmEndpoint {
    /// Name.
    pub name: String,
    /// Type.
    pub endpoint_type: TmEndpointType,
    /// Target app.
    pub app: String,
    /// Priority.
    pub priority: u16,
}

/// Front Door profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontDoor {
    /// Profile name.
    pub profile: String,
    /// Region (short name) of the resource group holding it.
    pub region: String,
    /// Origin group name.
    pub origin_group: String,
    /// Origins.
    pub origins: Vec<FdOrigin>,
}

/// Front Door origin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FdOrigin {
    /// Name.
    pub name: String,
    /// Target app.
    pub app: String,
    /// Priority.
    pub priority: u16,
    /// Weight.
    pub weight: u16,
}

/// Artifact store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArtifactStore {
    /// Storage account.
    pub account: String,
    /// Container.
    pub container: String,
}

/// Storage account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageAccount {
    /// Name.
    pub name: String,
    /// Region short name.
    pub region: String,
    /// Redundancy.
    pub replication: Replication,
    /// Durable task hub kept here.
    pub task_hub: Option<String>,
}

/// A queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queue {
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: QueueKind,
    /// Storage account or namespace.
    pub account: String,
    /// Region short name.
    pub region: String,
    /// Consuming app.
    pub app: String,
    /// Event Hubs consumer group.
    pub consumer_group: Option<String>,
}

/// A messaging geo-DR alias.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeoDrAlias {
    /// Alias name.
    pub name: String,
    /// Service Bus or Event Hubs.
    pub kind: QueueKind,
    /// Primary namespace.
    pub primary_namespace: String,
    /// Primary namespace's region.
    pub primary_region: String,
    /// Secondary namespace.
    pub secondary_namespace: String,
    /// Secondary namespace's region.
    pub secondary_region: String,
}

impl Estate {
    /// Parses and validates estate text; `origin` names the file in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Self, ConfigErrors> {
        let file: file::EstateFile =
            toml::from_str(text).map_err(|e| ConfigErrors::from_toml(origin, text, &e))?;
        validate::validate(&file, origin, text)?;
        Ok(resolve::resolve(file))
    }

    /// Reads, parses and validates an estate file.
    pub fn load(path: &Path) -> Result<Self, ConfigErrors> {
        let origin = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| ConfigErrors::single(ConfigError::io(&origin, &e)))?;
        Self::parse(&text, &origin)
    }

    /// The embedded demo estate.
    pub fn demo() -> Self {
        Self::parse(DEMO_ESTATE, DEMO_ESTATE_ORIGIN)
            .expect("the embedded demo estate is validated by its own test")
    }

    /// The primary region.
    pub fn primary(&self) -> &Region {
        self.regions
            .iter()
            .find(|r| r.role == RegionRole::Primary)
            .expect("validation guarantees exactly one primary region")
    }

    /// The secondary regions.
    pub fn secondaries(&self) -> impl Iterator<Item = &Region> {
        self.regions
            .iter()
            .filter(|r| r.role == RegionRole::Secondary)
    }

    /// A region by short name.
    pub fn region(&self, name: &str) -> Option<&Region> {
        self.regions.iter().find(|r| r.name == name)
    }

    /// An app by name.
    pub fn app(&self, name: &str) -> Option<&App> {
        self.apps.iter().find(|a| a.name == name)
    }

    /// The region an app runs in.
    pub fn region_of(&self, app: &App) -> &Region {
        self.region(&app.region)
            .expect("validation guarantees every app names a region")
    }

    /// The apps of the same service in other regions.
    pub fn counterparts<'a>(&'a self, app: &'a App) -> impl Iterator<Item = &'a App> {
        self.apps
            .iter()
            .filter(move |a| a.service == app.service && a.name != app.name)
    }

    /// The ARM resource id of an app.
    pub fn app_id(&self, app: &App) -> String {
        let region = self.region_of(app);
        format!(
            "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Web/sites/{}",
            region.subscription_id, region.resource_group, app.name
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_estate_parses_and_validates() {
        let estate = Estate::parse(DEMO_ESTATE, DEMO_ESTATE_ORIGIN).expect("demo estate is valid");
        assert_eq!(estate.primary().resource_group, "rg-functions-prod-krc");
        assert!(estate.app("func-orders-prod-krc").is_some());
        assert!(estate.app("func-orders-prod-jpe").is_some());
    }
}
