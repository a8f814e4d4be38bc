//! The estate file as it is written on disk: serde types that mirror the TOML, one struct per
//! table, `deny_unknown_fields` everywhere so a typo is an error and never a silent default.
//!
//! Owns the shape of the file only. Cross-references (an endpoint names an app that exists, a
//! queue names an app, …) are checked in `validate`; nothing here touches the network.
//!
//! Names that other tables refer to are `Spanned` so that a dangling reference can be reported
//! with its line and column.
//!
//! This module holds the file as a whole and the estate itself (`[estate]`, `[endpoints]`,
//! subscriptions, regions, apps, `[monitoring]`); the routing and release tables are in `routing`,
//! the storage, queue and alias tables in `data`. All are re-exported here.

use serde::{Deserialize, Serialize};
use toml::Spanned;

mod data;
mod routing;

pub use data::{GeoDrAliasEntry, QueueEntry, QueueKind, Replication, StorageAccountEntry};
pub use routing::{
    ArtifactStoreEntry, DEFAULT_ORIGIN_PRIORITY, DEFAULT_ORIGIN_WEIGHT, FdOriginEntry,
    FrontDoorEntry, TmEndpointEntry, TmEndpointType, TrafficManagerEntry,
};

/// A whole estate file.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct EstateFile {
    /// Estate-wide facts: name, targets, owner and escalation.
    pub estate: EstateSection,
    /// Which Azure the client talks to (public cloud by default).
    #[serde(default)]
    pub endpoints: EndpointsSection,
    /// The subscriptions the estate lives in.
    #[serde(default, rename = "subscription")]
    pub subscriptions: Vec<SubscriptionEntry>,
    /// The regions: exactly one primary and at least one secondary.
    #[serde(default, rename = "region")]
    pub regions: Vec<RegionEntry>,
    /// The function apps, each in one region.
    #[serde(default, rename = "app")]
    pub apps: Vec<AppEntry>,
    /// The Traffic Manager profile in front of the apps, if any.
    pub traffic_manager: Option<TrafficManagerEntry>,
    /// The Front Door profile in front of the apps, if any.
    pub front_door: Option<FrontDoorEntry>,
    /// Where release artifacts are kept (immutable, versioned).
    pub artifact_store: Option<ArtifactStoreEntry>,
    /// Storage accounts the apps depend on.
    #[serde(default, rename = "storage-account")]
    pub storage_accounts: Vec<StorageAccountEntry>,
    /// Queues whose lag matters: Storage queues, Service Bus queues, Event Hubs consumer groups.
    #[serde(default, rename = "queue")]
    pub queues: Vec<QueueEntry>,
    /// Service Bus / Event Hubs geo-DR aliases.
    #[serde(default, rename = "geo-dr-alias")]
    pub geo_dr_aliases: Vec<GeoDrAliasEntry>,
    /// Where request telemetry beyond the platform metrics is read, if anywhere.
    #[serde(default)]
    pub monitoring: MonitoringSection,
}

/// `[monitoring]`: optional telemetry sources beyond Azure Monitor's platform metrics.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct MonitoringSection {
    /// The Log Analytics workspace id (a GUID) holding the apps' workspace-based Application
    /// Insights requests (`AppRequests`); per-minute p95 latency is read from it. Absent: avg and
    /// max response time only.
    pub log_analytics_workspace: Option<Spanned<String>>,
}

/// `[estate]`: the estate as a whole.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct EstateSection {
    /// Display name shown in the console header.
    pub name: String,
    /// Recovery time objective, in minutes.
    pub rto_minutes: Spanned<u32>,
    /// Recovery point objective, in minutes.
    pub rpo_minutes: Spanned<u32>,
    /// Who owns the incident (a person or rota).
    pub owner: String,
    /// Who to call next, in order.
    #[serde(default)]
    pub escalation: Vec<String>,
}

/// Which Azure cloud.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Cloud {
    /// Azure public cloud (management.azure.com).
    #[default]
    Public,
    /// Azure operated by 21Vianet (management.chinacloudapi.cn).
    China,
    /// Azure Government (management.usgovcloudapi.net).
    UsGov,
    /// The simulated Azure on loopback; a file must then give `arm` (the simulator's base URL).
    /// `warroom demo` does not read a file: it builds its `Estate` in code with the URL filled in.
    Simulator,
}

impl Cloud {
    /// The name the file uses for this cloud.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Public => "public",
            Self::China => "china",
            Self::UsGov => "us-gov",
            Self::Simulator => "simulator",
        }
    }
}

/// `[endpoints]`: where the client sends its requests. Unset URLs follow the cloud.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct EndpointsSection {
    /// The cloud whose well-known endpoints are used; public when absent (see [`Self::cloud`]).
    pub cloud: Option<Spanned<Cloud>>,
    /// Override of the ARM base URL.
    pub arm: Option<Spanned<String>>,
    /// Override of the Entra ID authority host.
    pub authority: Option<Spanned<String>>,
    /// Override of the Storage queue endpoint template; `{account}` is replaced.
    pub queue: Option<String>,
    /// Override of the Kudu (SCM) endpoint template; `{app}` is replaced.
    pub kudu: Option<String>,
    /// Override of the app host template used for health probes; `{app}` is replaced.
    pub app_host: Option<String>,
    /// Override of the Azure Monitor metrics data-plane endpoint template; `{region}` is replaced.
    pub metrics: Option<String>,
    /// Override of the Blob service endpoint template; `{account}` is replaced.
    pub blob: Option<String>,
    /// Override of the Log Analytics query endpoint (`https://api.loganalytics.io`).
    pub logs: Option<Spanned<String>>,
}

impl EndpointsSection {
    /// The chosen cloud, public when the file does not say.
    pub fn cloud(&self) -> Cloud {
        self.cloud
            .as_ref()
            .map_or_else(Cloud::default, |c| *c.get_ref())
    }
}

/// `[[subscription]]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SubscriptionEntry {
    /// Short name other tables use.
    pub name: Spanned<String>,
    /// The subscription id (a GUID).
    pub id: Spanned<String>,
}

/// The role a region plays in the recovery design.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RegionRole {
    /// Serves production traffic in normal operation.
    Primary,
    /// Stands by, or serves in active/active, and takes over on failover.
    Secondary,
}

/// `[[region]]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RegionEntry {
    /// Short name other tables use (for example `krc`).
    pub name: Spanned<String>,
    /// Primary or secondary.
    pub role: Spanned<RegionRole>,
    /// Azure location (for example `koreacentral`).
    pub location: String,
    /// The subscription, by its short name.
    pub subscription: Spanned<String>,
    /// The resource group holding this region's resources.
    pub resource_group: String,
}

/// Hosting plan kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PlanKind {
    /// Consumption (no slots in production use, zip deploy).
    Consumption,
    /// Flex Consumption (no zip deploy; one deploy).
    FlexConsumption,
    /// Elastic Premium (slots).
    Premium,
    /// Dedicated App Service plan (slots).
    Dedicated,
}

impl PlanKind {
    /// The name the file uses for this plan kind.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Consumption => "consumption",
            Self::FlexConsumption => "flex-consumption",
            Self::Premium => "premium",
            Self::Dedicated => "dedicated",
        }
    }

    /// Whether apps on this plan can have deployment slots besides production.
    pub fn has_slots(self) -> bool {
        matches!(self, Self::Premium | Self::Dedicated)
    }
}

/// Trigger kinds a function app uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TriggerKind {
    /// HTTP requests.
    Http,
    /// Timer (CRON) schedules.
    Timer,
    /// Azure Storage queue messages.
    StorageQueue,
    /// Service Bus queue or topic messages.
    ServiceBus,
    /// Event Hubs events.
    EventHubs,
    /// Durable Functions orchestrations and activities.
    Durable,
}

/// `[[app]]`: one function app in one region.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct AppEntry {
    /// The function app's Azure name (globally unique).
    pub name: Spanned<String>,
    /// The logical service this app belongs to; the apps of one service in different regions are
    /// each other's counterparts.
    pub service: String,
    /// The region, by its short name.
    pub region: Spanned<String>,
    /// The hosting plan kind.
    pub plan: PlanKind,
    /// Deployment slots besides production (for example `["staging"]`).
    #[serde(default)]
    pub slots: Vec<Spanned<String>>,
    /// The health endpoint path; [`DEFAULT_HEALTH_PATH`] (the runbook's) when absent.
    pub health_path: Option<Spanned<String>>,
    /// The trigger kinds the app's functions use.
    #[serde(default)]
    pub triggers: Vec<TriggerKind>,
    /// Names of the app's timer-trigger functions (disabled in the passive region).
    #[serde(default)]
    pub timer_functions: Vec<Spanned<String>>,
    /// The other functions of the app, for the functions list.
    #[serde(default)]
    pub functions: Vec<String>,
    /// The storage account holding this app's Durable task hub, by name.
    pub task_hub_storage: Option<Spanned<String>>,
}

/// The health endpoint path an app has when the file does not name one.
pub const DEFAULT_HEALTH_PATH: &str = "/api/health";
